/*
 * daemon.h - the process side of duplexd: detaching, the descriptor limit,
 * the owner lock, the pid file, the run directory and dropping privileges.
 * All of it either works at start-up or ends the process with a message
 * (log_fatal).
 */
#ifndef DUPLEXD_DAEMON_H
#define DUPLEXD_DAEMON_H

struct conf;

/* daemon_detach - fork; the parent waits for daemon_ready() or the child's exit */
void daemon_detach(void);
/* daemon_raise_nofile - the descriptor soft limit up to the hard one, logged */
void daemon_raise_nofile(void);
/* daemon_prepare - data dir check, owner lock, run dirs, pid file */
void daemon_prepare(const struct conf *c);
/* daemon_drop_privileges - become the configured user when started as root */
void daemon_drop_privileges(const struct conf *c);
/* daemon_ready - tell the waiting parent we serve; stdio to /dev/null, logs to syslog */
void daemon_ready(int log_level);
/* daemon_cleanup - remove the pid file */
void daemon_cleanup(const struct conf *c);

#endif
