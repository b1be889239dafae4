/* tests/c2proc.c -- the second contract's test server as a child process
 * (c2proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "c2proc.h"
#include "testutil.h"

/* Starts tests/contract2server with --port 0 and mutation (or NULL); its
 * port is the first line it prints. 0, or -1. */
int c2proc_start(struct c2proc *s, const char *mutation)
{
    char *argv[8], buf[64];
    int p[2], n = 0, dn;
    size_t got = 0;

    memset(s, 0, sizeof *s);
    argv[n++] = (char *)t_path("%s/tests/contract2server", t_build());
    argv[n++] = (char *)"--port";
    argv[n++] = (char *)"0";
    if (mutation) {
        argv[n++] = (char *)"--mutate";
        argv[n++] = (char *)mutation;
    }
    argv[n] = NULL;
    if (pipe(p) < 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        dn = open("/dev/null", O_RDWR);
        dup2(dn, 0);
        dup2(p[1], 1);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    while (got < sizeof buf - 1 && !memchr(buf, '\n', got)) {
        struct pollfd pf = {p[0], POLLIN, 0};
        ssize_t k;
        if (poll(&pf, 1, 5000) <= 0)
            break;
        k = read(p[0], buf + got, sizeof buf - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    buf[got] = '\0';
    close(p[0]);
    if (atoi(buf) <= 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
        return -1;
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", atoi(buf));
    return 0;
}

/* SIGTERM, then the server's exit status. */
int c2proc_stop(struct c2proc *s)
{
    int status = 0;

    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    s->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
