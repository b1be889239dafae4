/* tests/refproc.h -- the reference server as a child process, for end-to-end
 * tests of the runner: started on an ephemeral loopback port (read from the
 * first line of its stdout), stopped with SIGTERM. */
#ifndef REFPROC_H
#define REFPROC_H

#include <sys/types.h>

struct refproc {
    pid_t pid;
    int port;
    char url[64]; /* "http://127.0.0.1:PORT" */
};

/* Starts argv (argv[0] a path) as a test server that prints its port
 * first, stdin from /dev/null: *pid and *port. 0, or -1 (both 0) when it
 * did not start or print a port within 5 s. The servers of the tests
 * (the reference server, tests/contract2server) all start this way. */
int server_proc_start(char *const argv[], pid_t *pid, int *port);

/* SIGTERM to *pid, then waits; the exit status (128+signal if it died of
 * one), -1 when it was not running. *pid becomes 0. */
int server_proc_stop(pid_t *pid);

/* Starts build/apiconform-ref --port 0 --quiet plus args (NULL-ended, may
 * be NULL). 0, or -1 when it did not start or print a port within 5 s. */
int refproc_start(struct refproc *r, const char *const *args);

/* SIGTERM, then waits; returns the server's exit status (128+signal if it
 * died of one). */
int refproc_stop(struct refproc *r);

/* Runs build/apiconform with args (NULL-ended) and the reference accounts'
 * credentials in the environment (APICONFORM_APP_KEY, ..._SECRET, and
 * OTHER_/BROKE_/FROZEN_/LIMITED_ KEY and SECRET). Returns the exit status;
 * *out and *err as t_run. */
int apiconform_run(const char *const *args, char **out, char **err);

#endif
