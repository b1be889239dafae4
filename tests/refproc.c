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

int server_proc_start(char *const argv[], pid_t *pid, int *port)
{
    char buf[64];
    int p[2], dn;
    size_t got = 0;

    *pid = 0;
    *port = 0;
    if (pipe(p) < 0)
        return -1;
    *pid = fork();
    if (*pid == 0) {
        dn = open("/dev/null", O_RDWR);
        dup2(dn, 0);
        dup2(p[1], 1);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    if (*pid < 0) {
        *pid = 0;
        close(p[0]);
        return -1;
    }
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
    *port = atoi(buf);
    if (*port <= 0) {
        server_proc_stop(pid);
        close(p[0]);
        *port = 0;
        return -1;
    }
    return 0;
}

int server_proc_stop(pid_t *pid)
{
    int status = 0;

    if (*pid <= 0)
        return -1;
    kill(*pid, SIGTERM);
    while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
        ;
    *pid = 0;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int refproc_start(struct refproc *r, const char *const *args)
{
    char *argv[64];
    int n = 0, i;

    memset(r, 0, sizeof *r);
    argv[n++] = (char *)t_path("%s/apiconform-ref", t_build());
    argv[n++] = (char *)"--port";
    argv[n++] = (char *)"0";
    argv[n++] = (char *)"--quiet";
    for (i = 0; args && args[i] && n < 62; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    if (server_proc_start(argv, &r->pid, &r->port) < 0)
        return -1;
    snprintf(r->url, sizeof r->url, "http://127.0.0.1:%d", r->port);
    return 0;
}

int refproc_stop(struct refproc *r)
{
    return server_proc_stop(&r->pid);
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
