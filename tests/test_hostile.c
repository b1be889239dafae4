#define _GNU_SOURCE /* memmem */
/* tests/test_hostile.c -- the runner against hostile servers.
 *
 * Each tests/hostile/cases/NAME.case file scripts one server misbehaviour
 * (see tests/hostile/README.md for the format and the table). For every
 * case the real apiconform binary runs the one-scenario suite of
 * tests/hostile/suite against a raw-socket server playing the script, and
 * the test asserts: the verdict (exit status 0 pass, 1 fail, 3 error), the
 * reason or failed check, that every report is valid (JUnit against the
 * Jenkins xunit XSD, JSON parses, HTML holds no markup from the server),
 * and that the canary token appears in no output in any form. */
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/ac.h"
#include "rawserver.h"
#include "testutil.h"

#define CANARY "cAnArY/t0k3n+9f8e\"7d"
/* The app key and secret, for cases with "credentials: app". */
#define CANARY_KEY "kEy-cAnArY/4f1c+2b"
#define CANARY_SECRET "sEcReT-cAnArY/9a8b+7c"

struct hcase {
    char name[128];
    char mode[16];
    char expect[16];
    char check[32];
    char reason[256];
    char args[256];
    char absent[64]; /* a string no output may hold (a fragment of a canary) */
    int drip_ms;
    int other;
    int signal;     /* 0, or the signal sent once the server has read a request */
    int preflight;  /* 1: run the preflight (default --no-preflight) */
    int app;        /* 1: credentials are an app key and secret, not a token */
    int no_reports; /* 1: the run stops before judging: no report may exist */
    char fill;
    size_t fill_count;
    struct ac_buf reply;
};

static int parse_case(const char *path, const char *name, struct hcase *c)
{
    size_t len;
    char *text = t_read_file(path, &len), *line, *save = NULL, *sep;
    const char *p;

    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%.*s", (int)(strlen(name) - 5), name);
    strcpy(c->mode, "reply");
    if (!text)
        return -1;
    sep = strstr(text, "\n---\n");
    if (!sep) {
        free(text);
        return -1;
    }
    *sep = '\0';
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *v = strchr(line, ':');
        if (line[0] == '#' || !v)
            continue;
        *v++ = '\0';
        while (*v == ' ')
            v++;
        if (!strcmp(line, "mode"))
            snprintf(c->mode, sizeof c->mode, "%s", v);
        else if (!strcmp(line, "expect"))
            snprintf(c->expect, sizeof c->expect, "%s", v);
        else if (!strcmp(line, "check"))
            snprintf(c->check, sizeof c->check, "%s", v);
        else if (!strcmp(line, "reason"))
            snprintf(c->reason, sizeof c->reason, "%s", v);
        else if (!strcmp(line, "absent"))
            snprintf(c->absent, sizeof c->absent, "%s", v);
        else if (!strcmp(line, "args"))
            snprintf(c->args, sizeof c->args, "%s", v);
        else if (!strcmp(line, "drip_ms"))
            c->drip_ms = atoi(v);
        else if (!strcmp(line, "other"))
            c->other = 1;
        else if (!strcmp(line, "signal"))
            c->signal = !strcmp(v, "INT") ? SIGINT : SIGTERM;
        else if (!strcmp(line, "preflight"))
            c->preflight = !strcmp(v, "yes");
        else if (!strcmp(line, "credentials"))
            c->app = !strcmp(v, "app");
        else if (!strcmp(line, "reports"))
            c->no_reports = !strcmp(v, "none");
        else if (!strcmp(line, "fill")) {
            c->fill = v[0];
            c->fill_count = strtoul(v + 2, NULL, 10);
        }
    }
    /* The response: escapes \r \n \t \\ \xNN, {{repeat C N}}; raw newlines
     * of the file are layout only and are dropped. */
    for (p = sep + 5; *p; p++) {
        if (*p == '\n')
            continue;
        if (p[0] == '{' && p[1] == '{' && !strncmp(p, "{{repeat ", 9)) {
            char ch = p[9];
            size_t n = strtoul(p + 11, NULL, 10), k;
            for (k = 0; k < n; k++)
                ac_buf_addc(&c->reply, ch);
            p = strstr(p, "}}") + 1;
            continue;
        }
        if (*p == '\\' && p[1]) {
            p++;
            if (*p == 'r')
                ac_buf_addc(&c->reply, '\r');
            else if (*p == 'n')
                ac_buf_addc(&c->reply, '\n');
            else if (*p == 't')
                ac_buf_addc(&c->reply, '\t');
            else if (*p == '\\')
                ac_buf_addc(&c->reply, '\\');
            else if (*p == 'x') {
                char hex[3] = {p[1], p[2], 0};
                ac_buf_addc(&c->reply, (char)strtol(hex, NULL, 16));
                p += 2;
            } else {
                ac_buf_addc(&c->reply, '\\');
                ac_buf_addc(&c->reply, *p);
            }
            continue;
        }
        ac_buf_addc(&c->reply, *p);
    }
    free(text);
    return 0;
}

/* Replaces a placeholder (first occurrence) in the reply. */
static void substitute(struct ac_buf *b, const char *ph, const char *value)
{
    char *at;
    struct ac_buf n = AC_BUF_INIT;

    while (b->data && (at = memmem(b->data, b->len, ph, strlen(ph)))) {
        ac_buf_add(&n, b->data, (size_t)(at - b->data));
        ac_buf_adds(&n, value);
        ac_buf_add(&n, at + strlen(ph), b->len - (size_t)(at - b->data) - strlen(ph));
        ac_buf_release(b);
        *b = n;
        ac_buf_init(&n);
    }
}

static void fix_length(struct ac_buf *b)
{
    char *body = b->data ? memmem(b->data, b->len, "\r\n\r\n", 4) : NULL;
    char num[32];

    if (!body)
        return;
    snprintf(num, sizeof num, "%zu", b->len - (size_t)(body + 4 - b->data) - (strlen("@LEN@") - 0));
    /* The placeholder sits in the headers, so the body length is what
     * follows the blank line; compute it before substituting. */
    snprintf(num, sizeof num, "%zu", b->len - (size_t)(body + 4 - b->data));
    substitute(b, "@LEN@", num);
}

/* The canary in no view a reader could decode (see t_no_secret); a missing
 * output fails. */
static void canary_absent(const char *hay, const char *case_name, const char *what,
                          const char *canary)
{
    char label[300];

    snprintf(label, sizeof label, "%s: %s", case_name, what);
    t_no_secret(hay, canary, label, __LINE__, __FILE__);
}

/* openssl s_server with a fresh self-signed certificate, for the TLS case. */
static pid_t start_tls(int port, const char *dir)
{
    char cmd[1024], accept_arg[32];
    pid_t pid;
    int i;

    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 "
             "-keyout %s/key.pem -out %s/cert.pem >/dev/null 2>&1",
             dir, dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(accept_arg, sizeof accept_arg, "%d", port);
    pid = fork();
    if (pid == 0) {
        char cert[512], key[512];
        snprintf(cert, sizeof cert, "%s/cert.pem", dir);
        snprintf(key, sizeof key, "%s/key.pem", dir);
        freopen("/dev/null", "r", stdin);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execlp("openssl", "openssl", "s_server", "-accept", accept_arg, "-cert", cert, "-key", key,
               "-www", "-quiet", (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 100; i++) {
        char probe[128];
        snprintf(probe, sizeof probe, "exec 3<>/dev/tcp/127.0.0.1/%d 2>/dev/null", port);
        snprintf(cmd, sizeof cmd, "bash -c '%s' 2>/dev/null", probe);
        if (system(cmd) == 0)
            break;
        usleep(50000);
    }
    return pid;
}

static int saw_request(void *srv)
{
    return rawserver_requests(srv) >= 1;
}

static void run_case(const char *dir, const char *file)
{
    struct hcase c;
    struct rawserver *srv = NULL, *other = NULL;
    struct raw_script rs;
    char url[96], out_dir[256], *out = NULL, *err = NULL, *args[64];
    char junit[300], html[300], json[300], md[300], *argcopy;
    int port = 0, n = 0, status, want_status;
    pid_t tls = -1;
    const char *path = t_path("%s/%s", dir, file);
    static char *env[] = {(char *)"HOSTILE_TOKEN=" CANARY, (char *)"HOSTILE_KEY=" CANARY_KEY,
                          (char *)"HOSTILE_SECRET=" CANARY_SECRET, (char *)"CI=1", NULL};

    T_EQ_INT(parse_case(path, file, &c), 0);
    snprintf(out_dir, sizeof out_dir, "%s/hostile-%s", t_build(), c.name);
    mkdir(out_dir, 0755);
    memset(&rs, 0, sizeof rs);
    if (c.other) {
        struct raw_script os = {RAW_REPLY, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 0, 0,
                                0};
        char num[16];
        other = rawserver_start(&os);
        snprintf(num, sizeof num, "%d", rawserver_port(other));
        substitute(&c.reply, "@OTHER@", num);
    }
    substitute(&c.reply, "@TOKEN_JSON@", "cAnArY/t0k3n+9f8e\\\"7d");
    substitute(&c.reply, "@TOKEN@", CANARY);
    substitute(&c.reply, "@KEY@", CANARY_KEY);
    substitute(&c.reply, "@SECRET@", CANARY_SECRET);
    fix_length(&c.reply);
    if (!strcmp(c.mode, "refused")) {
        port = rawserver_closed_port();
    } else if (!strcmp(c.mode, "tls")) {
        port = rawserver_closed_port();
        tls = start_tls(port, out_dir);
    } else {
        rs.mode = !strcmp(c.mode, "silent")  ? RAW_SILENT
                  : !strcmp(c.mode, "close") ? RAW_CLOSE
                  : !strcmp(c.mode, "drip")  ? RAW_DRIP
                                             : RAW_REPLY;
        rs.reply = c.reply.data;
        rs.reply_len = c.reply.len;
        rs.drip_ms = c.drip_ms;
        rs.repeat_body = c.fill_count;
        rs.fill = c.fill;
        srv = rawserver_start(&rs);
        port = srv ? rawserver_port(srv) : 0;
    }
    snprintf(url, sizeof url, "%s://127.0.0.1:%d", !strcmp(c.mode, "tls") ? "https" : "http", port);
    snprintf(junit, sizeof junit, "%s/junit.xml", out_dir);
    snprintf(html, sizeof html, "%s/report.html", out_dir);
    snprintf(json, sizeof json, "%s/results.json", out_dir);
    snprintf(md, sizeof md, "%s/summary.md", out_dir);
    /* A report left by an earlier run must not stand in for this one's. */
    unlink(junit);
    unlink(html);
    unlink(json);
    unlink(md);
    args[n++] = (char *)t_path("%s/apiconform", t_build());
    args[n++] = (char *)"run";
    args[n++] = (char *)"--base-url";
    args[n++] = url;
    args[n++] = (char *)"--suite";
    args[n++] = (char *)t_path("%s/tests/hostile/suite", t_root());
    if (c.app) {
        args[n++] = (char *)"--app-key-env";
        args[n++] = (char *)"HOSTILE_KEY";
        args[n++] = (char *)"--app-secret-env";
        args[n++] = (char *)"HOSTILE_SECRET";
    } else {
        args[n++] = (char *)"--token-env";
        args[n++] = (char *)"HOSTILE_TOKEN";
    }
    if (!c.preflight)
        args[n++] = (char *)"--no-preflight";
    args[n++] = (char *)"--retries";
    args[n++] = (char *)"0";
    args[n++] = (char *)"-v";
    args[n++] = (char *)"--junit";
    args[n++] = junit;
    args[n++] = (char *)"--html";
    args[n++] = html;
    args[n++] = (char *)"--json";
    args[n++] = json;
    args[n++] = (char *)"--markdown";
    args[n++] = md;
    argcopy = strdup(c.args);
    {
        char *save = NULL, *tok;
        for (tok = strtok_r(argcopy, " ", &save); tok && n < 62; tok = strtok_r(NULL, " ", &save))
            args[n++] = tok;
    }
    args[n] = NULL;
    if (c.signal && srv) {
        /* CI's cancellation: the reports must be written within seconds. */
        long long ms = -1;
        char msg[200];
        status = t_run_signal(args, env, &out, &err, c.signal, saw_request, srv, -1, &ms);
        fprintf(stderr, "    %s: signal to exit %lld ms\n", c.name, ms);
        snprintf(msg, sizeof msg, "%s: exited %lld ms after the signal, within 10000 ms", c.name,
                 ms);
        CU_assertImplementation(ms >= 0 && ms < 10000, __LINE__, msg, __FILE__, "", CU_FALSE);
    } else {
        status = t_run(args, env, &out, &err);
    }
    want_status = !strcmp(c.expect, "pass") ? 0 : !strcmp(c.expect, "fail") ? 1 : 3;
    {
        char label[200];
        snprintf(label, sizeof label, "%s exit status", c.name);
        t_eq_int(status, want_status, label, __LINE__, __FILE__);
    }
    if (c.reason[0])
        T_CONTAINS(c.no_reports ? err : out, c.reason); /* a run that stops says why on stderr */
    if (c.check[0]) {
        json_t *root = json_load_file(json, 0, NULL), *f;
        size_t i;
        int found = 0;
        json_array_foreach (
            json_object_get(json_array_get(json_object_get(root, "results"), 0), "failures"), i,
            f) {
            found |= !strcmp(json_string_value(json_object_get(f, "check"))
                                 ? json_string_value(json_object_get(f, "check"))
                                 : "",
                             c.check);
        }
        {
            char msg[200];
            snprintf(msg, sizeof msg, "%s: the %s check failed", c.name, c.check);
            CU_assertImplementation(found, __LINE__, msg, __FILE__, "", CU_FALSE);
        }
        json_decref(root);
    }
    if (c.no_reports) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s: no report is written when nothing was judged", c.name);
        CU_assertImplementation(access(junit, F_OK) != 0 && access(json, F_OK) != 0 &&
                                    access(html, F_OK) != 0 && access(md, F_OK) != 0,
                                __LINE__, msg, __FILE__, "", CU_FALSE);
        T_TRUE(err && !strchr(err, 0x1b) && !strchr(err, 0x07));
        T_TRUE(out && !strchr(out, 0x1b) && !strchr(out, 0x07));
        canary_absent(out, c.name, "stdout", CANARY);
        canary_absent(err, c.name, "stderr", CANARY);
        canary_absent(err, c.name, "stderr", CANARY_KEY);
        canary_absent(err, c.name, "stderr", CANARY_SECRET);
        goto done;
    }
    /* Every report is valid whatever the server sent. */
    {
        char *xerr = NULL;
        int x = t_junit_validate(junit, &xerr);
        char msg[300];
        snprintf(msg, sizeof msg, "%s: junit.xml validates: %.200s", c.name, xerr ? xerr : "");
        CU_assertImplementation(x == 0, __LINE__, msg, __FILE__, "", CU_FALSE);
        free(xerr);
    }
    {
        json_error_t je;
        json_t *root = json_load_file(json, 0, &je);
        T_TRUE(root != NULL);
        json_decref(root);
    }
    {
        char *h = t_read_file(html, NULL), *j = t_read_file(junit, NULL);
        char *m = t_read_file(md, NULL), *js = t_read_file(json, NULL);
        T_TRUE(h != NULL);
        T_NOT_CONTAINS(h, "<script");
        T_NOT_CONTAINS(h, "<img");
        T_TRUE(out && !strchr(out, 0x1b) && !strchr(out, 0x07));
        T_TRUE(err && !strchr(err, 0x1b) && !strchr(err, 0x07));
        static const char *const canaries[] = {CANARY, CANARY_KEY, CANARY_SECRET};
        size_t k;
        const char *texts[] = {out, err, h, j, m, js};
        const char *names[] = {"stdout",    "stderr",     "report.html",
                               "junit.xml", "summary.md", "results.json"};
        for (k = 0; c.absent[0] && k < 6; k++) {
            char label[300];
            snprintf(label, sizeof label, "%s: %s", c.name, names[k]);
            t_not_contains(texts[k], c.absent, label, __LINE__, __FILE__);
        }
        for (k = 0; k < 3; k++) {
            canary_absent(out, c.name, "stdout", canaries[k]);
            canary_absent(err, c.name, "stderr", canaries[k]);
            canary_absent(h, c.name, "report.html", canaries[k]);
            canary_absent(j, c.name, "junit.xml", canaries[k]);
            canary_absent(m, c.name, "summary.md", canaries[k]);
            canary_absent(js, c.name, "results.json", canaries[k]);
        }
        free(h);
        free(j);
        free(m);
        free(js);
    }
done:
    if (other) {
        T_EQ_INT(rawserver_requests(other), 0);
        rawserver_stop(other);
    }
    if (tls > 0) {
        kill(tls, SIGTERM);
        waitpid(tls, NULL, 0);
    }
    rawserver_stop(srv);
    free(argcopy);
    free(out);
    free(err);
    ac_buf_release(&c.reply);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_hostile_cases(void)
{
    const char *dir = t_path("%s/tests/hostile/cases", t_root());
    DIR *d = opendir(dir);
    struct dirent *de;
    char *names[256];
    size_t n = 0, i;
    char dircopy[4096];

    T_TRUE(d != NULL);
    if (!d)
        return;
    snprintf(dircopy, sizeof dircopy, "%s", dir);
    while ((de = readdir(d)) && n < 256)
        if (strstr(de->d_name, ".case"))
            names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    T_TRUE(n >= 30);
    for (i = 0; i < n; i++) {
        fprintf(stderr, "    hostile case %s\n", names[i]);
        run_case(dircopy, names[i]);
        free(names[i]);
    }
}

/* A 429 asking for 30 s: the first interrupt ends the wait at once, and
 * the run ends in error with its reports (a generous bound: well under
 * the 30 s it would otherwise sleep). */
static void test_hostile_interrupt_ends_retry_wait(void)
{
    static const char reply[] = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n"
                                "Content-Type: application/json\r\nContent-Length: 16\r\n\r\n"
                                "{\"code\":4290001}";
    struct raw_script rs = {RAW_REPLY, reply, sizeof reply - 1, 0, 0, 0};
    struct rawserver *srv = rawserver_start(&rs);
    char url[64], *argv[20], out_path[300];
    struct timespec t0, t1;
    int n = 0, status = 0, waited = 0;
    long long ms;
    pid_t pid;

    T_TRUE(srv != NULL);
    if (!srv)
        return;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", rawserver_port(srv));
    snprintf(out_path, sizeof out_path, "%s/hostile-interrupt.json", t_build());
    argv[n++] = (char *)t_path("%s/apiconform", t_build());
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--base-url";
    argv[n++] = url;
    argv[n++] = (char *)"--suite";
    argv[n++] = (char *)t_path("%s/tests/hostile/suite", t_root());
    argv[n++] = (char *)"--token-env";
    argv[n++] = (char *)"HOSTILE_TOKEN";
    argv[n++] = (char *)"--no-preflight";
    argv[n++] = (char *)"--retries";
    argv[n++] = (char *)"3";
    argv[n++] = (char *)"--json";
    argv[n++] = out_path;
    argv[n] = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        putenv((char *)"HOSTILE_TOKEN=" CANARY);
        execv(argv[0], argv);
        _exit(127);
    }
    /* Until the first 429 arrived, then the signal. */
    while (rawserver_requests(srv) < 1 && waited < 10000) {
        usleep(20000);
        waited += 20;
    }
    usleep(300 * 1000);
    kill(pid, SIGINT);
    for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 20) {
        if (waited > 60000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        usleep(20000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    T_TRUE(WIFEXITED(status));
    T_EQ_INT(WEXITSTATUS(status), 3);
    T_EQ_INT(rawserver_requests(srv), 1);
    if (ms >= 15000)
        t_eq_int(ms, 15000, "ms until exit (at most)", __LINE__, __FILE__);
    {
        char *js = t_read_file(out_path, NULL);
        T_CONTAINS(js, "interrupted while waiting to retry after a 429 answer");
        free(js);
    }
    rawserver_stop(srv);
}

int test_register(void)
{
    CU_pSuite s = CU_add_suite("hostile servers", NULL, NULL);

    if (!s ||
        !CU_add_test(s, "every case: verdict, reason, valid reports, no leak",
                     test_hostile_cases) ||
        !CU_add_test(s, "an interrupt ends a Retry-After wait",
                     test_hostile_interrupt_ends_retry_wait))
        return -1;
    return 0;
}
