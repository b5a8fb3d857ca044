/*
 * store_err.c - the store's error convention: the reason given for each
 * store_err, which of them a client may retry, and the mapping of LMDB's
 * codes to them.
 *
 * Every store call returns 0 or a negative store_err; store_err_from_mdb is
 * where MDB_* codes (and the errno values LMDB passes through) stop, so
 * none leaves the store.
 */
#include "store/store_int.h"

#include <errno.h>

/* store_strerror - one reason per store_err, for logs and protocol replies */
const char *
store_strerror(int err)
{
	switch (err) {
	case STORE_OK: return "success";
	case STORE_ETEMP: return "temporary store failure";
	case STORE_ENOTFOUND: return "not found";
	case STORE_EEXISTS: return "already exists";
	case STORE_ENOQUOTA: return "over quota";
	case STORE_EFULL: return "store full";
	case STORE_ECORRUPT: return "store damaged or not a Duplex store";
	case STORE_EINVAL: return "invalid name, address or argument";
	case STORE_ETOOBIG: return "message too big";
	case STORE_ENOTEMPTY: return "not empty";
	case STORE_EEXTERNAL: return "external address";
	case STORE_ENAMETOOLONG: return "mailbox name too long";
	case STORE_EINUSE: return "in use";
	case STORE_EREJECTED: return "rejected by the recipient's filter";
	default: return "unknown store error";
	}
}

/* store_err_is_temporary - what a client may retry: quota and space free up, damage is repaired */
bool
store_err_is_temporary(int err)
{
	return err == STORE_ETEMP || err == STORE_ENOQUOTA || err == STORE_EFULL ||
	    err == STORE_EEXTERNAL || err == STORE_ECORRUPT;
}

/* store_err_from_mdb - keep MDB_* codes inside the store */
int
store_err_from_mdb(int rc)
{
	switch (rc) {
	case 0: return 0;
	case MDB_NOTFOUND: return STORE_ENOTFOUND;
	case MDB_KEYEXIST: return STORE_EEXISTS;
	case MDB_MAP_FULL: case MDB_TXN_FULL: case MDB_PAGE_FULL: case ENOSPC: case EDQUOT:
		return STORE_EFULL;
	case MDB_CORRUPTED: case MDB_INVALID: case MDB_VERSION_MISMATCH: case MDB_PAGE_NOTFOUND:
	case MDB_INCOMPATIBLE:
		return STORE_ECORRUPT;
	default:
		return rc < 0 && rc >= STORE_EEXTERNAL ? rc : STORE_ETEMP;
	}
}
