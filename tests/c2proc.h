/* tests/c2proc.h -- tests/contract2server (the second contract's server,
 * tests/data/contract2/) as a child process: started on an ephemeral
 * loopback port (the first line it prints), stopped with SIGTERM. */
#ifndef C2PROC_H
#define C2PROC_H

#include <sys/types.h>

struct c2proc {
    pid_t pid;
    char url[64]; /* "http://127.0.0.1:PORT" */
};

/* Starts it with --port 0 and --mutate mutation (or none: NULL). 0, or
 * -1 (pid 0) when it did not print its port within 5 s. */
int c2proc_start(struct c2proc *s, const char *mutation);

/* SIGTERM, then the server's exit status (128+signal if it died of one);
 * -1 when it was not running. */
int c2proc_stop(struct c2proc *s);

#endif
