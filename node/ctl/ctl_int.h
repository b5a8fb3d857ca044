/*
 * ctl_int.h - what the command files of node/ctl share.
 */
#ifndef DUPLEX_CTL_INT_H
#define DUPLEX_CTL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ctl/ctl.h"
#include "util/buf.h"

typedef int ctl_handler(struct ctl_ctx *ctx, int argc, char **argv);

/* command handlers: argv[0] is the first argument after the command words */
ctl_handler ctl_domain_add, ctl_domain_del, ctl_domain_set, ctl_domain_list;
ctl_handler ctl_user_add, ctl_user_del, ctl_user_list, ctl_user_show, ctl_user_passwd;
ctl_handler ctl_alias_add, ctl_alias_del, ctl_alias_list;
ctl_handler ctl_forward_set, ctl_forward_clear;
ctl_handler ctl_quota_set, ctl_quota_show;
ctl_handler ctl_deliver;
ctl_handler ctl_mailbox_list, ctl_export_mbox;
ctl_handler ctl_mailbox_create, ctl_mailbox_delete, ctl_acl_set, ctl_acl_delete, ctl_acl_list;
ctl_handler ctl_import_maildir, ctl_import_mbox;
ctl_handler ctl_backup, ctl_verify, ctl_status, ctl_probe, ctl_config_check;
ctl_handler ctl_cluster_status, ctl_switchover;
ctl_handler ctl_queue_list, ctl_queue_flush, ctl_queue_delete;
ctl_handler ctl_sieve_list, ctl_sieve_get, ctl_sieve_put, ctl_sieve_activate;
ctl_handler ctl_sieve_deactivate, ctl_sieve_delete, ctl_sieve_domain;
ctl_handler ctl_sieve_check, ctl_sieve_test;

/* ctl_store_fail - report a store error for what; returns the exit status */
int ctl_store_fail(struct ctl_ctx *ctx, const char *what, int err);
/* ctl_usage_fail - report bad arguments; returns CTL_EXIT_USAGE */
int ctl_usage_fail(struct ctl_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ctl_parse_size - a size argument like 1G; 0 or usage failure */
int ctl_parse_size(struct ctl_ctx *ctx, const char *s, uint64_t *out);

/* ctl_read_fd - fd into msg, at most limit bytes (it may stop a read past them); 0, 1 if over, -1 on error */
int ctl_read_fd(int fd, uint64_t limit, struct buf *msg);

/* ctl_mboxrd_from - whether [p, end) is a ^>*From  line */
bool ctl_mboxrd_from(const char *p, const char *end);

#endif
