/* tests/c2proc.c -- the second contract's test server as a child process
 * (c2proc.h). */
#include <stdio.h>
#include <string.h>

#include "c2proc.h"
#include "refproc.h"
#include "testutil.h"

int c2proc_start(struct c2proc *s, const char *mutation)
{
    char *argv[8];
    int n = 0, port;

    memset(s, 0, sizeof *s);
    argv[n++] = (char *)t_path("%s/tests/contract2server", t_build());
    argv[n++] = (char *)"--port";
    argv[n++] = (char *)"0";
    if (mutation) {
        argv[n++] = (char *)"--mutate";
        argv[n++] = (char *)mutation;
    }
    argv[n] = NULL;
    if (server_proc_start(argv, &s->pid, &port) < 0)
        return -1;
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", port);
    return 0;
}

int c2proc_stop(struct c2proc *s)
{
    return server_proc_stop(&s->pid);
}
