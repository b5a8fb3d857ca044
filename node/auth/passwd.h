/*
 * passwd.h - password hashing with libcrypt's yescrypt.
 *
 * Only hashes are stored; the plaintext never leaves the caller and is
 * never logged. A hash of "!" (or any string crypt(3) cannot produce)
 * means "login disabled".
 */
#ifndef DUPLEX_PASSWD_H
#define DUPLEX_PASSWD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWD_HASH_MAX 256	/* longest crypt(3) string we store */
#define PASSWD_MAX 511		/* longest password: crypt(3) refuses 512 bytes and more */
#define PASSWD_DISABLED "!"

/* passwd_hash - hash password with a fresh salt into out; 0 or -1 */
int passwd_hash(const char *password, char out[PASSWD_HASH_MAX]);
/*
 * passwd_verify - whether password matches hash, in time that does not
 * depend on where they differ. A NULL hash (unknown user) is checked
 * against a dummy so that unknown users cost as much as known ones.
 */
bool passwd_verify(const char *password, const char *hash);
/* passwd_read - one line from fd (a password), without its newline; 0 or -1 */
int passwd_read(int fd, char *out, size_t outlen);

#endif
