/* tests/fuzz/fuzz_response.c -- libFuzzer target: raw HTTP response bytes
 * through the whole runner pipeline. The input is what the "server" sends:
 * a socketpair is primed with it and handed to libcurl as an already
 * connected socket (the curl-fuzzer technique), so libcurl's parser, the
 * body and header caps, the checks, the CUnit judging and every report
 * writer see it. Invariants: no crash, no leak, valid reports. */
#include <curl/curl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../reports/reports.h"
#include "../../runners/engine.h"
#include "../../runners/verify.h"
#include "fuzz_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog *cat;
static struct suite *suite;
static int peer = -1, mine = -1;

static curl_socket_t open_primed(void *ud, curlsocktype purpose, struct curl_sockaddr *addr)
{
    int fd = mine;

    (void)ud, (void)purpose, (void)addr;
    mine = -1; /* one connection per input; a second attempt fails */
    return fd < 0 ? CURL_SOCKET_BAD : fd;
}

static int already_connected(void *ud, curl_socket_t fd, curlsocktype purpose)
{
    (void)ud, (void)fd, (void)purpose;
    return CURL_SOCKOPT_ALREADY_CONNECTED;
}

static void hook(void *h, void *ud)
{
    (void)ud;
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_primed);
    curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, already_connected);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
}

static void setup(void)
{
    struct ac_error err = AC_ERROR_INIT;
    const char *root = getenv("AC_ROOT");
    char path[4096];
    static const char sc[] = "{\"scenarios\": [{\"id\": \"fuzz\", \"code\": 4040006, \"title\": "
                             "\"t\", \"class\": \"stateless\", \"request\": {\"method\": "
                             "\"GET\", \"path\": \"/api/v1/x\"}}]}";

    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(path, sizeof path, "%s/catalog/nce-errors.json", root ? root : ".");
    cat = catalog_load(path, &err);
    suite =
        cat ? suite_load_file_buffer("00/4040006.json", sc, sizeof sc - 1, NULL, cat, &err) : NULL;
    if (!suite)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ac_error err = AC_ERROR_INIT;
    struct redactor *red;
    struct engine *e;
    struct engine_config c;
    struct scenario_run run;
    struct verify_options vo;
    struct run_results rr;
    struct ac_buf b = AC_BUF_INIT;
    int sv[2], i;

    if (!suite)
        setup();
    if (size > 60000 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 0;
    mine = sv[0];
    peer = sv[1];
    if (write(peer, data, size) != (ssize_t)size) {
        close(sv[0]);
        close(sv[1]);
        return 0;
    }
    shutdown(peer, SHUT_WR);
    memset(&c, 0, sizeof c);
    c.base_url = "http://127.0.0.1:9";
    c.jobs = 1;
    c.timeout_ms = 2000;
    c.connect_timeout_ms = 1000;
    c.body_cap = 16384;
    c.header_cap = 8192;
    c.run_id = "rfuzz";
    c.easy_hook = hook;
    red = redact_new();
    redact_add(red, "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
    e = engine_new(&c, red, &err);
    engine_set_token(e, NULL, "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");
    memset(&run, 0, sizeof run);
    run.sc = suite_at(suite, 0);
    run.probe = -1;
    engine_run(e, suite, &run, 1, NULL, NULL);
    if (mine >= 0)
        close(mine);
    close(peer);
    mine = peer = -1;
    memset(&vo, 0, sizeof vo);
    for (i = 0; i < CHECK_COUNT; i++)
        vo.enabled[i] = 1;
    vo.message_mode = MESSAGE_EXACT;
    memset(&rr, 0, sizeof rr);
    rr.run_id = strdup("rfuzz");
    rr.target = strdup("http://127.0.0.1:9");
    if (verify_runs(cat, &run, 1, &vo, &rr, &err) == 0) {
        report_junit_write(&rr, cat, &b);
        fuzz_check_text(&b, 1);
        ac_buf_reset(&b);
        report_html_write(&rr, cat, &b);
        fuzz_check_html(&b);
        if (b.data && strstr(b.data, "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"))
            abort(); /* the token never reaches a report */
    }
    ac_buf_release(&b);
    results_release(&rr);
    scenario_run_release(&run);
    engine_free(e);
    redact_free(red);
    return 0;
}
