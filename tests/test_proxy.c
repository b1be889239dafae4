/* tests/test_proxy.c -- apiconform proxy, live: the shipped suite run
 * through it in front of the reference server (the same verdicts, each
 * mutation caught), hostile upstreams and clients bounded, a request the
 * upstream failed counted. The proxy is the real program (build/apiconform
 * proxy), a child process stopped with SIGTERM; the HAR reader and
 * `apiconform check` are tests/test_passive.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "../common/ac.h"
#include "harrec.h"
#include "rawserver.h"
#include "refproc.h"
#include "testutil.h"

/* A path under build/proxy/, with its own buffers (t_path's rotate). */
static const char *out_path(const char *name)
{
    static char dir[256], paths[16][512];
    static int next;
    char *p = paths[next++ % 16];

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/proxy", t_build());
        mkdir(dir, 0755);
    }
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

struct proxyproc {
    pid_t pid;
    int out;      /* read end of its stdout */
    char url[64]; /* http://127.0.0.1:PORT */
};

/* Starts build/apiconform proxy --listen 127.0.0.1:0 --upstream upstream
 * plus args (NULL-ended) and reads its first line. 0 or -1. */
static int proxy_start(struct proxyproc *pp, const char *upstream, const char *const *args)
{
    char *argv[40], line[256];
    int p[2], n = 0, i;
    size_t got = 0;

    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"proxy";
    argv[n++] = (char *)"--listen";
    argv[n++] = (char *)"127.0.0.1:0";
    argv[n++] = (char *)"--upstream";
    argv[n++] = (char *)upstream;
    for (i = 0; args && args[i] && n < 38; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    if (pipe(p) != 0)
        return -1;
    pp->pid = fork();
    if (pp->pid == 0) {
        int dn = open("/dev/null", O_RDWR);
        dup2(dn, 0);
        dup2(p[1], 1);
        dup2(dn, 2);
        close(p[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    pp->out = p[0];
    while (got < sizeof line - 1) {
        struct pollfd pf = {p[0], POLLIN, 0};
        ssize_t k;
        if (poll(&pf, 1, 5000) <= 0)
            break;
        k = read(p[0], line + got, 1);
        if (k <= 0)
            break;
        if (line[got] == '\n')
            break;
        got++;
    }
    line[got] = '\0';
    if (strncmp(line, "listening on ", 13) != 0) {
        kill(pp->pid, SIGKILL);
        waitpid(pp->pid, NULL, 0);
        close(p[0]);
        return -1;
    }
    snprintf(pp->url, sizeof pp->url, "%.60s", line + 13);
    return 0;
}

/* SIGTERM; returns the exit status and the rest of its stdout (heap). */
static int proxy_stop(struct proxyproc *pp, char **out)
{
    struct ac_buf b = AC_BUF_INIT;
    char buf[4096];
    ssize_t k;
    int status = 0;

    kill(pp->pid, SIGTERM);
    while ((k = read(pp->out, buf, sizeof buf)) > 0 || (k < 0 && errno == EINTR))
        if (k > 0)
            ac_buf_add(&b, buf, (size_t)k);
    close(pp->out);
    waitpid(pp->pid, &status, 0);
    if (out)
        *out = ac_buf_take(&b);
    ac_buf_release(&b);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Milliseconds of CLOCK_MONOTONIC. */
static long long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The proxy counts a request line when it has read it, and a connection
 * still unread when it stops is closed unread; so a test that counts on a
 * stalled client's request line waits for this. 1 once the proxy has read
 * everything sent on the client socket fd: the client's send queue is
 * empty (every byte acknowledged, so in the proxy's receive queue or
 * read) and the proxy's end of the connection has nothing unread
 * (rx_queue in /proc/net/tcp, established). 0 when that is not so within 30 s. */
static int wait_read_by_proxy(int fd)
{
    struct sockaddr_in me, peer;
    socklen_t len = sizeof me, plen = sizeof peer;
    long long deadline = now_ms() + 30000;

    if (getsockname(fd, (struct sockaddr *)&me, &len) != 0 ||
        getpeername(fd, (struct sockaddr *)&peer, &plen) != 0)
        return 0;
    do {
        int queued = -1;
        if (ioctl(fd, SIOCOUTQ, &queued) == 0 && queued == 0) {
            FILE *f = fopen("/proc/net/tcp", "r");
            char line[512];
            int found = 0;
            while (f && !found && fgets(line, sizeof line, f)) {
                unsigned la, lp, ra, rp, st, txq, rxq;
                if (sscanf(line, " %*u: %x:%x %x:%x %x %x:%x", &la, &lp, &ra, &rp, &st, &txq,
                           &rxq) == 7 &&
                    st == 1 && lp == ntohs(peer.sin_port) && rp == ntohs(me.sin_port))
                    found = rxq == 0 ? 1 : -1;
            }
            if (f)
                fclose(f);
            if (found == 1)
                return 1;
        }
        poll(NULL, 0, 10);
    } while (now_ms() < deadline);
    return 0;
}

/* 1 once the proxy has ended the connection of the client socket fd (an
 * answer and its close, or a reset), reading what it sends; 0 when it has
 * not within 30 s. */
static int wait_ended_by_proxy(int fd)
{
    long long deadline = now_ms() + 30000;
    char buf[4096];

    while (now_ms() < deadline) {
        struct pollfd pf = {fd, POLLIN, 0};
        ssize_t k;
        if (poll(&pf, 1, 100) <= 0)
            continue;
        k = read(fd, buf, sizeof buf);
        if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN))
            return 1;
    }
    return 0;
}

/* Codes of the results file's passed / failed results and the distinct
 * failed checks. */
struct verdicts {
    long passed[512], failed[512];
    size_t npassed, nfailed;
    char checks[256];
    size_t errors;
};

static void read_verdicts(const char *path, struct verdicts *v)
{
    json_t *root = json_load_file(path, 0, NULL), *r, *f;
    size_t i, k;

    memset(v, 0, sizeof *v);
    json_array_foreach (json_object_get(root, "results"), i, r) {
        const char *verdict = json_string_value(json_object_get(r, "verdict"));
        long code = (long)json_integer_value(json_object_get(r, "code"));
        if (!verdict)
            continue;
        if (strcmp(verdict, "passed") == 0 && v->npassed < 512)
            v->passed[v->npassed++] = code;
        if (strcmp(verdict, "failed") == 0 && v->nfailed < 512)
            v->failed[v->nfailed++] = code;
        if (strcmp(verdict, "error") == 0)
            v->errors++;
        json_array_foreach (json_object_get(r, "failures"), k, f) {
            const char *c = json_string_value(json_object_get(f, "check"));
            char tag[40];
            snprintf(tag, sizeof tag, "%s ", c ? c : "?");
            if (!strstr(v->checks, tag) && strlen(v->checks) + strlen(tag) < sizeof v->checks)
                strcat(v->checks, tag);
        }
    }
    json_decref(root);
}

static int has_code(const long *v, size_t n, long code)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i] == code)
            return 1;
    return 0;
}

/* The shipped suite through the proxy in front of the reference server
 * (started as mk/run.sh starts it, plus mutate when not NULL). Fills the
 * suite's and the proxy's verdicts; returns 0 or -1. */
static int suite_through_proxy(const char *mutate, int all, int *run_rc, int *proxy_rc,
                               struct verdicts *suite, struct verdicts *proxy, char **proxy_out)
{
    const char *ref_args[32] = {
        "--faults",      "--quota", "secret-keys=16",   "--quota", "repositories=12", "--quota",
        "tags=6",        "--quota", "loadbalancers=16", "--quota", "certs=16",        "--quota",
        "ips-nce=16",    "--quota", "ips-nlb=16",       "--quota", "services=16",     "--quota",
        "containers=64", "--quota", "replicas=40",      NULL};
    char suite_json[512], proxy_json[512], events[512];
    const char *pargs[10];
    struct refproc ref;
    struct proxyproc pp;
    int n = 0;

    snprintf(suite_json, sizeof suite_json, "%s", out_path("suite.json"));
    snprintf(proxy_json, sizeof proxy_json, "%s", out_path("proxy.json"));
    snprintf(events, sizeof events, "%s", out_path("events.jsonl"));
    remove(suite_json);
    remove(proxy_json);
    if (mutate) {
        ref_args[21] = "--mutate";
        ref_args[22] = mutate;
        ref_args[23] = NULL;
    }
    if (refproc_start(&ref, ref_args) < 0)
        return -1;
    pargs[n++] = "--json";
    pargs[n++] = proxy_json;
    pargs[n++] = "--events";
    pargs[n++] = events;
    pargs[n++] = "--timeout";
    pargs[n++] = "10";
    if (all)
        pargs[n++] = "--all";
    pargs[n] = NULL;
    if (proxy_start(&pp, ref.url, pargs) < 0) {
        refproc_stop(&ref);
        return -1;
    }
    {
        const char *args[] = {"run",
                              "--base-url",
                              pp.url,
                              "--allow",
                              "all",
                              "--app-key-env",
                              "APICONFORM_APP_KEY",
                              "--app-secret-env",
                              "APICONFORM_APP_SECRET",
                              "--account",
                              "other:OTHER_KEY:OTHER_SECRET",
                              "--account",
                              "broke:BROKE_KEY:BROKE_SECRET",
                              "--account",
                              "frozen:FROZEN_KEY:FROZEN_SECRET",
                              "--account",
                              "limited:LIMITED_KEY:LIMITED_SECRET",
                              "--suite",
                              t_path("%s/suite", t_root()),
                              "--catalog",
                              t_path("%s/catalog/nce-errors.json", t_root()),
                              "--json",
                              suite_json,
                              "-q",
                              NULL};
        *run_rc = apiconform_run(args, NULL, NULL);
    }
    *proxy_rc = proxy_stop(&pp, proxy_out);
    refproc_stop(&ref);
    read_verdicts(suite_json, suite);
    read_verdicts(proxy_json, proxy);
    return 0;
}

static void test_passive_proxy_agrees_with_suite(void)
{
    struct verdicts suite, proxy;
    int run_rc = -1, proxy_rc = -1;
    char *out = NULL;
    size_t i, missing = 0;

    if (suite_through_proxy(NULL, 0, &run_rc, &proxy_rc, &suite, &proxy, &out) < 0) {
        T_TRUE(!"the reference server or the proxy did not start");
        return;
    }
    /* request-body-stalls included: the upstream's 408 before the body is
     * complete is relayed. */
    T_EQ_INT(run_rc, 0);
    T_EQ_INT(suite.errors, 0);
    T_EQ_INT(suite.nfailed, 0);
    T_TRUE(suite.npassed > 150);
    T_EQ_INT(proxy_rc, 0);
    T_EQ_INT(proxy.nfailed, 0);
    T_EQ_STR(proxy.checks, "");
    /* Every code the suite saw pass, the proxy saw pass. */
    for (i = 0; i < suite.npassed; i++)
        if (!has_code(proxy.passed, proxy.npassed, suite.passed[i])) {
            printf("\n  code %ld passed in the suite, not seen by the proxy", suite.passed[i]);
            missing++;
        }
    T_EQ_INT(missing, 0);
    /* Every error answer judged. */
    T_CONTAINS(out, "error answers:");
    T_CONTAINS(out, "0 failed), 0 not judged;");
    free(out);
    /* One event line per judged answer, each JSON, and no credential in
     * them or in the report: every Authorization value is masked. */
    {
        char *ev = t_read_file(out_path("events.jsonl"), NULL), *line, *save = NULL;
        char *report = t_read_file(out_path("proxy.json"), NULL);
        const char *p;
        size_t lines = 0, bad = 0;
        T_TRUE(ev && report);
        T_NOT_CONTAINS(report, "conformance-secret");
        for (p = report ? strstr(report, "Authorization: Token ") : NULL; p;
             p = strstr(p + 1, "Authorization: Token "))
            bad += strncmp(p + 21, "***", 3) != 0;
        T_NOT_CONTAINS(ev, "conformance-secret");
        for (line = ev ? strtok_r(ev, "\n", &save) : NULL; line;
             line = strtok_r(NULL, "\n", &save)) {
            json_t *j = json_loads(line, 0, NULL);
            lines++;
            bad += !j || strcmp(json_string_value(json_object_get(j, "verdict"))
                                    ? json_string_value(json_object_get(j, "verdict"))
                                    : "",
                                "passed") != 0;
            json_decref(j);
        }
        T_EQ_INT(bad, 0);
        T_TRUE(lines > 150);
        free(ev);
        free(report);
    }
}

static void test_passive_proxy_catches_mutations(void)
{
    static const struct {
        const char *mutation, *check;
        int all;
    } m[] = {
        {"status-mismatch", "consistency", 0},
        {"ok-status", "consistency", 1},
        {"message-drop-period", "message", 0},
        {"no-request-id", "request-id", 0},
        {"unknown-code", "known", 0},
        {"html-page", "body", 0},
        {"charset", NULL, 0},
    };
    size_t i;

    for (i = 0; i < sizeof m / sizeof m[0]; i++) {
        struct verdicts suite, proxy;
        int run_rc = -1, proxy_rc = -1;
        char tag[40];

        if (suite_through_proxy(m[i].mutation, m[i].all, &run_rc, &proxy_rc, &suite, &proxy, NULL) <
            0) {
            T_TRUE(!"the reference server or the proxy did not start");
            continue;
        }
        snprintf(tag, sizeof tag, "%s ", m[i].check ? m[i].check : "");
        printf("\n  %-20s suite exit %d (%zu failed: %s) proxy exit %d (%zu failed: %s)",
               m[i].mutation, run_rc, suite.nfailed, suite.checks, proxy_rc, proxy.nfailed,
               proxy.checks);
        T_EQ_INT(suite.errors, 0);
        if (m[i].check) {
            T_TRUE(suite.nfailed > 0);
            T_EQ_INT(run_rc, 1);
            T_EQ_INT(proxy_rc, 1);
            T_CONTAINS(proxy.checks, tag);
        } else {
            T_EQ_INT(suite.nfailed, 0);
            T_EQ_INT(run_rc, 0);
            T_EQ_INT(proxy_rc, 0);
        }
    }
    printf("\n  ");
}

/* One request through a proxy in front of upstream; the status the client
 * saw (-1: no complete answer) and the proxy's exit status. */
static int through(const char *upstream, const char *const *pargs, const char *method,
                   const char *path, const char *const *headers, const char *body, int *proxy_rc)
{
    struct proxyproc pp;
    struct harrec *h;
    int status = -2;

    *proxy_rc = -1;
    if (proxy_start(&pp, upstream, pargs) < 0)
        return -3;
    h = harrec_new(pp.url);
    if (h)
        status = harrec_send(h, method, path, headers, body, NULL);
    harrec_free(h);
    *proxy_rc = proxy_stop(&pp, NULL);
    return status;
}

static void test_passive_proxy_hostile(void)
{
    static const char huge[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                               "application/json\r\nContent-Length: 20000000\r\n\r\n";
    static const char garbage[] = "HTTP/1.1 abc\r\n\r\n";
    struct raw_script silent = {RAW_SILENT, NULL, 0, 0, 0, 0};
    struct raw_script big = {RAW_REPLY, huge, sizeof huge - 1, 0, 20000000, 0};
    struct raw_script bad = {RAW_REPLY, garbage, sizeof garbage - 1, 0, 0, 0};
    const char *short_timeout[] = {"--timeout", "2", NULL};
    const char *small_body[] = {"--max-body", "100000", NULL};
    struct rawserver *rs;
    char url[64];
    int rc;

    /* A silent upstream: 502 after --timeout, the proxy unharmed. */
    rs = rawserver_start(&silent);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, short_timeout, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3); /* not forwarded; the proxy's own 502 is not judged as the target's */
    rawserver_stop(rs);
    /* An endless body: cut at --max-body, the client sees a cut answer. */
    rs = rawserver_start(&big);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, small_body, "GET", "/api/v1/ips", NULL, NULL, &rc), -1);
    T_EQ_INT(rc, 3); /* its body could not be kept: not judged */
    rawserver_stop(rs);
    /* Not HTTP: 502. */
    rs = rawserver_start(&bad);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    T_EQ_INT(through(url, NULL, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3);
    rawserver_stop(rs);
    /* Nothing listens: 502. */
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_closed_port());
    T_EQ_INT(through(url, NULL, "GET", "/api/v1/ips", NULL, NULL, &rc), 502);
    T_EQ_INT(rc, 3);
}

static void test_passive_proxy_bounds(void)
{
    struct refproc ref;
    struct proxyproc pp;
    struct harrec *h;
    const char *pargs[] = {"--max-body", "1000", "--max-connections", "8", NULL};
    const char *json_ct[] = {"Content-Type: application/json", NULL};
    char big[3000], *out = NULL;
    int fd, rc;

    if (refproc_start(&ref, NULL) < 0) {
        T_TRUE(!"the reference server did not start");
        return;
    }
    if (proxy_start(&pp, ref.url, pargs) < 0) {
        T_TRUE(!"the proxy did not start");
        refproc_stop(&ref);
        return;
    }
    /* A client that stalls in its headers holds only its own connection. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    {
        struct sockaddr_in sa;
        memset(&sa, 0, sizeof sa);
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)atoi(strrchr(pp.url, ':') + 1));
        sa.sin_addr.s_addr = htonl(0x7f000001);
        T_EQ_INT(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        T_TRUE(write(fd, "GET /api/v1/ips HTTP/1.1\r\nHost: x\r\nX-Sl", 40) == 40);
        /* Its request line is read (so counted below) before the stop. */
        T_TRUE(wait_read_by_proxy(fd));
    }
    /* Hostile clients: bytes that are not HTTP, a 100 KB header line. */
    {
        static char junk[100 * 1024];
        int k;
        for (k = 0; k < 2; k++) {
            int g = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in sa;
            memset(&sa, 0, sizeof sa);
            sa.sin_family = AF_INET;
            sa.sin_port = htons((uint16_t)atoi(strrchr(pp.url, ':') + 1));
            sa.sin_addr.s_addr = htonl(0x7f000001);
            if (k == 0)
                memset(junk, 0xff, sizeof junk);
            else {
                memcpy(junk, "GET / HTTP/1.1\r\nX-Big: ", 24);
                memset(junk + 24, 'a', sizeof junk - 24);
            }
            T_EQ_INT(connect(g, (struct sockaddr *)&sa, sizeof sa), 0);
            signal(SIGPIPE, SIG_IGN);
            T_TRUE(send(g, junk, sizeof junk, MSG_NOSIGNAL) > 0);
            /* The proxy refuses each and closes it; the one with the huge
             * header has had its request line read by then. */
            T_TRUE(wait_ended_by_proxy(g));
            close(g);
        }
    }
    h = harrec_new(pp.url);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 404);
    /* A declared body over --max-body: the proxy's own 413, not forwarded. */
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    T_EQ_INT(harrec_send(h, "POST", "/api/v1/secret-keys", json_ct, big, NULL), 413);
    harrec_free(h);
    close(fd);
    rc = proxy_stop(&pp, &out);
    refproc_stop(&ref);
    T_EQ_INT(rc, 0);
    /* The stalled request and the one with the huge header count (their
     * request lines came), the refused one is not forwarded, one is judged. */
    T_CONTAINS(out, "4 requests (1 not forwarded: upstream failed 0, too large 1); 1 answers, "
                    "1 error answers: 1 judged (1 passed, 0 failed)");
    free(out);
}

static void test_passive_proxy_upstream_down(void)
{
    struct refproc ref;
    struct proxyproc pp;
    struct harrec *h;
    char *out = NULL;

    if (refproc_start(&ref, NULL) < 0 || proxy_start(&pp, ref.url, NULL) < 0) {
        T_TRUE(!"the reference server or the proxy did not start");
        return;
    }
    h = harrec_new(pp.url);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 404);
    refproc_stop(&ref);
    T_EQ_INT(harrec_send(h, "GET", "/api/v9/ips", NULL, NULL, NULL), 502);
    harrec_free(h);
    /* One answer judged and passed, one request not forwarded: the traffic
     * could not be judged whole, exit 3 as for a run with an error. */
    T_EQ_INT(proxy_stop(&pp, &out), 3);
    T_CONTAINS(out, "2 requests (1 not forwarded: upstream failed 1, too large 0); 1 answers, 1 "
                    "error answers: 1 judged (1 passed, 0 failed)");
    free(out);
}

/* The upstream closes a kept-alive connection just as the proxy reuses it
 * for a request with a body: libcurl retries on a new connection, which
 * needs the body again from its start; the proxy replays what it sent,
 * and the client gets the upstream's answer, not a 502. */
static void test_passive_proxy_upstream_reuse_closed(void)
{
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\n\r\n{}";
    struct raw_script drop = {RAW_DROP_SECOND, ok, sizeof ok - 1, 0, 0, 0};
    const char *json_ct[] = {"Content-Type: application/json", NULL};
    struct rawserver *rs = rawserver_start(&drop);
    struct proxyproc pp;
    struct harrec *h;
    char url[64], *body = NULL, *out = NULL;

    snprintf(url, sizeof url, "http://127.0.0.1:%d", rs ? rawserver_port(rs) : 1);
    if (!rs || proxy_start(&pp, url, NULL) < 0) {
        T_TRUE(!"the upstream or the proxy did not start");
        rawserver_stop(rs);
        return;
    }
    h = harrec_new(pp.url);
    T_EQ_INT(harrec_send(h, "GET", "/api/v1/ips", NULL, NULL, NULL), 200);
    T_EQ_INT(harrec_send(h, "POST", "/api/v1/ips", json_ct, "{\"name\":\"a\"}", &body), 200);
    T_EQ_STR(body, "{}");
    free(body);
    harrec_free(h);
    /* Both forwarded and answered; exit 3 as nothing (no error answer)
     * could be judged. */
    T_EQ_INT(proxy_stop(&pp, &out), 3);
    T_CONTAINS(out, "2 requests (0 not forwarded: upstream failed 0, too large 0); 2 answers");
    free(out);
    /* The first, the one dropped unanswered, and its retry. */
    T_TRUE(rawserver_requests(rs) >= 3);
    rawserver_stop(rs);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("passive conformance: the live proxy", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "proxy: the shipped suite through it, same verdicts",
                     test_passive_proxy_agrees_with_suite) ||
        !CU_add_test(s, "proxy: catches what the suite catches",
                     test_passive_proxy_catches_mutations) ||
        !CU_add_test(s, "proxy: hostile upstreams are bounded", test_passive_proxy_hostile) ||
        !CU_add_test(s, "proxy: a stalled client stalls only itself; body cap",
                     test_passive_proxy_bounds) ||
        !CU_add_test(s, "proxy: a request the upstream failed is exit 3",
                     test_passive_proxy_upstream_down) ||
        !CU_add_test(s, "proxy: a reused upstream connection closed under a body: retried",
                     test_passive_proxy_upstream_reuse_closed))
        return -1;
    return 0;
}
