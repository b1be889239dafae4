/* tests/refproc.c -- see refproc.h. */
#include "refproc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

int refproc_start(struct refproc *r, const char *const *args)
{
    char *argv[64];
    char buf[64];
    int p[2], n = 0, i, dn;
    size_t got = 0;

    memset(r, 0, sizeof *r);
    argv[n++] = (char *)t_path("%s/apiconform-ref", t_build());
    argv[n++] = (char *)"--port";
    argv[n++] = (char *)"0";
    argv[n++] = (char *)"--quiet";
    for (i = 0; args && args[i] && n < 62; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    if (pipe(p) < 0)
        return -1;
    r->pid = fork();
    if (r->pid == 0) {
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
    /* Keep the pipe open (the server may print more) by leaking it to the
     * child's lifetime: closing it could SIGPIPE a chatty server. */
    r->port = atoi(buf);
    if (r->port <= 0) {
        refproc_stop(r);
        close(p[0]);
        return -1;
    }
    snprintf(r->url, sizeof r->url, "http://127.0.0.1:%d", r->port);
    return 0;
}

int refproc_stop(struct refproc *r)
{
    int status = 0;

    if (r->pid <= 0)
        return -1;
    kill(r->pid, SIGTERM);
    while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
        ;
    r->pid = 0;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int apiconform_run(const char *const *args, char **out, char **err)
{
    static char *env[] = {
        (char *)"APICONFORM_APP_KEY=conformance-key",
        (char *)"APICONFORM_APP_SECRET=conformance-secret",
        (char *)"OTHER_KEY=other-key",
        (char *)"OTHER_SECRET=other-secret",
        (char *)"BROKE_KEY=broke-key",
        (char *)"BROKE_SECRET=broke-secret",
        (char *)"FROZEN_KEY=frozen-key",
        (char *)"FROZEN_SECRET=frozen-secret",
        (char *)"LIMITED_KEY=limited-key",
        (char *)"LIMITED_SECRET=limited-secret",
        (char *)"CI=1",
        NULL,
    };
    char *argv[96];
    int n = 0, i;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    for (i = 0; args[i] && n < 94; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    return t_run(argv, env, out, err);
}
