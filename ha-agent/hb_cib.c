/*
 * hb_cib.c - duplex-hb and the CIB: read the cluster's state, publish the
 * health score, place and clear the switchover constraint.
 *
 * Every call opens its own CIB connection (cib_new, which honours
 * CIB_file=FILE for offline use and tests) and closes it before returning.
 * That costs a connection per call, which at one round every few seconds
 * is nothing, and it matters for files: the file backend reads at sign-on
 * and writes at sign-off, so a held connection would neither see nor
 * publish anything.
 *
 * Status is unpacked by Pacemaker's own scheduler library (libpe_status),
 * the code crm_mon uses, rather than by reading lrm history by hand.
 *
 * The score is a transient node attribute in the status section (the
 * lifetime crm_attribute -l reboot gives): the controller erases it when
 * the node leaves or rejoins, so a stale "sick" never outlives a reboot.
 *
 * Hazard: libpe_status logs through libcrmcommon's logging; duplex-hb
 * leaves that at its defaults (errors to stderr/syslog).
 */
#include "hb_int.h"

#include <errno.h>
#include <string.h>

#include <crm/cib.h>
#include <crm/cib/util.h>
#include <crm/common/xml.h>
#include <crm/msg_xml.h>
#include <crm/pengine/status.h>

/* copy - bounded string copy that tolerates NULL */
static void
copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* connect - a signed-on CIB handle, or NULL with err */
static cib_t *
connect(char *err, size_t errlen)
{
	static bool xml_ready;
	cib_t *cib;
	int rc;

	if (!xml_ready) {
		crm_xml_init();	/* loads the schemas the file backend validates against */
		xml_ready = true;
	}
	if ((cib = cib_new()) == NULL) {
		snprintf(err, errlen, "cannot create a CIB connection");
		return NULL;
	}
	if ((rc = cib->cmds->signon(cib, "duplex-hb", cib_command)) != pcmk_ok) {
		snprintf(err, errlen, "cannot connect to the CIB: %s", pcmk_strerror(rc));
		cib_delete(cib);
		return NULL;
	}
	return cib;
}

/* disconnect - sign off (the file backend writes here) and free */
static int
disconnect(cib_t *cib, char *err, size_t errlen)
{
	int rc = cib->cmds->signoff(cib);

	cib_delete(cib);
	if (rc != pcmk_ok) {
		snprintf(err, errlen, "CIB sign-off failed: %s", pcmk_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * scan_xml - pending operations (the store's own among them) and leftover
 * move constraints, by walking the tree
 */
static void
scan_xml(xmlNode *x, const char *store, struct hb_cluster *cl)
{
	for (; x != NULL; x = x->next) {
		const char *id, *st;

		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)x->name, "lrm_rsc_op") == 0) {
			st = crm_element_value(x, "op-status");
			if (st != NULL && strcmp(st, "-1") == 0) {
				cl->transition = true;	/* recorded pending: running now */
				id = x->parent ? crm_element_value(x->parent, "id") : NULL;
				if (id != NULL && strcmp(id, store) == 0)
					cl->store_pending = true;
			}
		} else if (strcmp((const char *)x->name, "rsc_location") == 0) {
			id = crm_element_value(x, "id");
			if (id != NULL && cl->leftover[0] == '\0' &&
			    (strncmp(id, "cli-prefer-", 11) == 0 || strncmp(id, "cli-ban-", 8) == 0))
				copy(cl->leftover, sizeof(cl->leftover), id);
		}
		scan_xml(x->children, store, cl);
	}
}

/* vip_param - the "ip" instance attribute of an IPaddr2 primitive */
static const char *
vip_param(pe_resource_t *r)
{
	const char *type = crm_element_value(r->xml, "type");

	if (type == NULL || strcmp(type, "IPaddr2") != 0)
		return NULL;
	for (xmlNode *s = r->xml->children; s != NULL; s = s->next) {
		if (s->type != XML_ELEMENT_NODE || strcmp((const char *)s->name, "instance_attributes"))
			continue;
		for (xmlNode *nv = s->children; nv != NULL; nv = nv->next) {
			const char *n;

			if (nv->type != XML_ELEMENT_NODE)
				continue;
			n = crm_element_value(nv, "name");
			if (n != NULL && strcmp(n, "ip") == 0)
				return crm_element_value(nv, "value");
		}
	}
	return NULL;
}

/* unpack - fill cl from a scheduler working set */
static void
unpack(const struct hb_conf *hc, pe_working_set_t *ds, struct hb_cluster *cl)
{
	pe_resource_t *grp, *store;

	cl->quorum = (ds->flags & pe_flag_have_quorum) != 0;
	cl->stonith_enabled = (ds->flags & pe_flag_stonith_enabled) != 0;
	if (ds->dc_node != NULL)
		copy(cl->dc, sizeof(cl->dc), ds->dc_node->details->uname);
	for (GList *l = ds->nodes; l != NULL && cl->nnodes < HB_MAX_NODES; l = l->next) {
		pe_node_t *n = l->data;
		struct hb_node *h = &cl->nodes[cl->nnodes++];
		const char *v = n->details->attrs ?
		    g_hash_table_lookup(n->details->attrs, hc->attribute) : NULL;

		copy(h->name, sizeof(h->name), n->details->uname);
		h->online = n->details->online;
		h->standby = n->details->standby;
		h->unclean = n->details->unclean;
		h->pending = n->details->pending;
		h->health = v ? atoi(v) : -1;
		if (h->pending || h->unclean)
			cl->transition = true;
	}
	if ((store = pe_find_resource(ds->resources, hc->store_resource)) != NULL) {
		cl->active_count = (int)g_list_length(store->running_on);
		if (store->running_on != NULL)
			copy(cl->active, sizeof(cl->active),
			    ((pe_node_t *)store->running_on->data)->details->uname);
		cl->store_failed = (store->flags & pe_rsc_failed) != 0;
	}
	if ((grp = pe_find_resource(ds->resources, hc->resource)) != NULL) {
		for (GList *l = grp->children; l != NULL; l = l->next) {
			pe_resource_t *r = l->data;
			const char *ip = vip_param(r);

			if (ip == NULL)
				continue;
			copy(cl->vip, sizeof(cl->vip), ip);
			if (r->running_on != NULL)
				copy(cl->vip_on, sizeof(cl->vip_on),
				    ((pe_node_t *)r->running_on->data)->details->uname);
		}
	}
	if (ds->failed != NULL) {
		for (xmlNode *x = ds->failed->children; x != NULL; x = x->next) {
			const char *key, *node, *rc;

			if (x->type != XML_ELEMENT_NODE)
				continue;
			if (cl->failed_actions++ > 0)
				continue;
			key = crm_element_value(x, "operation_key");
			node = crm_element_value(x, "uname");
			if (node == NULL)
				node = crm_element_value(x, "on_node");
			rc = crm_element_value(x, "rc-code");
			snprintf(cl->failed_first, sizeof(cl->failed_first), "%s on %s rc=%s",
			    key ? key : crm_element_value(x, "id"), node ? node : "?", rc ? rc : "?");
		}
	}
}

int
hb_cib_snapshot(const struct hb_conf *hc, struct hb_cluster *cl, char *err, size_t errlen)
{
	pe_working_set_t *ds;
	xmlNode *xml = NULL;
	cib_t *cib;
	int rc;

	memset(cl, 0, sizeof(*cl));
	if ((cib = connect(err, errlen)) == NULL)
		return -1;
	rc = cib->cmds->query(cib, NULL, &xml, cib_scope_local | cib_sync_call);
	disconnect(cib, err, errlen);
	if (rc != pcmk_ok || xml == NULL) {
		snprintf(err, errlen, "CIB query failed: %s", pcmk_strerror(rc));
		return -1;
	}
	scan_xml(xml, hc->store_resource, cl);
	if ((ds = pe_new_working_set()) == NULL) {
		free_xml(xml);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ds->input = xml;	/* the working set owns it now */
	cluster_status(ds);
	unpack(hc, ds, cl);
	pe_free_working_set(ds);
	return 0;
}

int
hb_cib_set_attr(const char *node, const char *name, const char *value, char *err, size_t errlen)
{
	char *uuid = NULL;
	int is_remote = 0, rc;
	cib_t *cib;

	if ((cib = connect(err, errlen)) == NULL)
		return -1;
	if ((rc = query_node_uuid(cib, node, &uuid, &is_remote)) != pcmk_ok) {
		snprintf(err, errlen, "node %s: %s", node, pcmk_strerror(rc));
		disconnect(cib, err, errlen);
		return -1;
	}
	rc = update_attr_delegate(cib, cib_sync_call, XML_CIB_TAG_STATUS, uuid, XML_TAG_ATTR_SETS,
	    NULL, NULL, name, value, FALSE, NULL, is_remote ? "remote" : NULL);
	free(uuid);
	if (rc != pcmk_ok) {
		snprintf(err, errlen, "set %s=%s on %s: %s", name, value, node, pcmk_strerror(rc));
		disconnect(cib, err, errlen);
		return -1;
	}
	return disconnect(cib, err, errlen);
}

/* location - the <rsc_location> of a move; caller frees with free_xml */
static xmlNode *
location(const char *resource, const char *node)
{
	xmlNode *x = create_xml_node(NULL, XML_CONS_TAG_RSC_LOCATION);
	char id[256];

	snprintf(id, sizeof(id), "cli-prefer-%s", resource);
	crm_xml_add(x, XML_ATTR_ID, id);
	if (node != NULL) {
		crm_xml_add(x, XML_LOC_ATTR_SOURCE, resource);
		crm_xml_add(x, XML_RULE_ATTR_ROLE, "Started");
		crm_xml_add(x, XML_CIB_TAG_NODE, node);
		crm_xml_add(x, XML_RULE_ATTR_SCORE, "INFINITY");
	}
	return x;
}

/* remove_location - delete cli-prefer-RESOURCE; pcmk_ok or -ENXIO when absent */
static int
remove_location(cib_t *cib, const char *resource)
{
	xmlNode *x = location(resource, NULL);
	int rc = cib->cmds->remove(cib, XML_CIB_TAG_CONSTRAINTS, x, cib_sync_call);

	free_xml(x);
	return rc;
}

int
hb_cib_move(const char *resource, const char *node, char *err, size_t errlen)
{
	xmlNode *x;
	cib_t *cib;
	int rc;

	if ((cib = connect(err, errlen)) == NULL)
		return -1;
	(void)remove_location(cib, resource);	/* replace an older move, as pcs does */
	x = location(resource, node);
	rc = cib->cmds->create(cib, XML_CIB_TAG_CONSTRAINTS, x, cib_sync_call);
	free_xml(x);
	if (rc != pcmk_ok) {
		snprintf(err, errlen, "cannot add the move constraint: %s", pcmk_strerror(rc));
		disconnect(cib, err, errlen);
		return -1;
	}
	return disconnect(cib, err, errlen);
}

int
hb_cib_clear(const char *resource, char *err, size_t errlen)
{
	cib_t *cib;
	int rc;

	if ((cib = connect(err, errlen)) == NULL)
		return -1;
	rc = remove_location(cib, resource);
	if (rc != pcmk_ok && rc != -ENXIO) {
		snprintf(err, errlen, "cannot remove cli-prefer-%s: %s", resource, pcmk_strerror(rc));
		disconnect(cib, err, errlen);
		return -1;
	}
	return disconnect(cib, err, errlen);
}

const char *
hb_cluster_peer(const struct hb_cluster *cl, const char *me)
{
	for (int i = 0; i < cl->nnodes; i++)
		if (strcmp(cl->nodes[i].name, me) != 0)
			return cl->nodes[i].name;
	return NULL;
}

const struct hb_node *
hb_cluster_node(const struct hb_cluster *cl, const char *name)
{
	for (int i = 0; i < cl->nnodes; i++)
		if (strcmp(cl->nodes[i].name, name) == 0)
			return &cl->nodes[i];
	return NULL;
}
