/* tests/test_reference_robust.c -- the reference server under abuse:
 * oversized and chunked bodies, malformed JSON, deep nesting, stalled
 * clients (408), latency that must not serialise requests, stopping with
 * connections open, the connection limit and huge headers. Each test runs
 * its own in-process server; helpers in refclient.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "refclient.h"
#include "testutil.h"

struct chunked_src {
    size_t left;
};

static size_t read_chunked(char *buf, size_t sz, size_t n, void *ud)
{
    struct chunked_src *s = ud;
    size_t len = sz * n < s->left ? sz * n : s->left;

    memset(buf, ' ', len);
    if (len)
        buf[0] = '[';
    s->left -= len;
    return len;
}

static void test_reference_oversized_body(void)
{
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;
    size_t big = 2 * 1024 * 1024;
    char *body;

    if (!srv)
        return;
    rt_resp_init(&r);
    body = malloc(big + 1);
    memset(body, ' ', big);
    body[0] = '{';
    body[big - 1] = '}';
    body[big] = '\0';
    /* declared length over the limit: answered before the body is read */
    rt_http_mime(&r, "POST", "/api/v1/secret-keys", x.tok, body, big, NULL, NULL);
    rt_expect_error(&r, 4220001, "2 MiB body");
    rt_http_mime(&r, "POST", "/api/v1/nlb/loadbalancers", x.tok, body, big,
                 "namespace: default-main", NULL);
    rt_expect_error(&r, 4000403, "2 MiB body on the NLB service");
    /* a token problem still wins */
    rt_http_mime(&r, "POST", "/api/v1/secret-keys", NULL, body, big, NULL, NULL);
    rt_expect_error(&r, 4010001, "2 MiB body without token");
    free(body);
    /* chunked, no length: read up to the limit, then discarded */
    {
        CURL *h = curl_easy_init();
        struct curl_slist *list = NULL;
        struct chunked_src src = {3 * 1024 * 1024};
        char url[256], auth[128];
        rt_resp_release(&r);
        snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/secret-keys", rt_port);
        snprintf(auth, sizeof auth, "Authorization: Token %s", x.tok);
        list = curl_slist_append(list, auth);
        list = curl_slist_append(list, "Content-Type: application/json");
        list = curl_slist_append(list, "Transfer-Encoding: chunked");
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_chunked);
        curl_easy_setopt(h, CURLOPT_READDATA, &src);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, rt_on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, rt_on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
        T_EQ_INT(curl_easy_perform(h), CURLE_OK);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
        curl_slist_free_all(list);
        curl_easy_cleanup(h);
        rt_parse_body(&r);
        rt_expect_error(&r, 4220001, "3 MiB chunked body");
    }
    rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    rt_expect_status(&r, 200, "still serving after oversized bodies");
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_malformed_json(void)
{
    static const struct {
        const char *path, *hdrs, *body;
        long code;
    } cases[] = {
        {"/api/v1/secret-keys", NULL, "{\"key_name\":", 4220001},
        {"/api/v1/secret-keys", NULL, "[1, 2, 3]", 4220001},
        {"/api/v1/secret-keys", NULL, "\"just a string\"", 4220001},
        {"/api/v1/secret-keys", NULL, "{\"key_name\":\"a\",\"key_name\":\"b\"}", 4220001},
        {"/api/v1/secret-keys", NULL, "{\"key_name\":\"\xff\xfe\"}", 4220001},
        {"/api/v1/secret-keys", NULL, "{} trailing", 4220001},
        {"/api/v1/microservices", NULL, "{\"bill_info\":", 4220001},
        {"/api/v1/nlb/loadbalancers", "namespace: default-main", "{\"name\":", 4000403},
        {"/api/v1/nlb/certs", NULL, "nope", 4000403},
        {"/api/v1/token", NULL, "{\"app_key\":1,\"app_secret\":[]}", 4000001},
    };
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;

    if (!srv)
        return;
    rt_resp_init(&r);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char what[128];
        snprintf(what, sizeof what, "malformed body %zu", i);
        rt_http(&r, "POST", cases[i].path, x.tok, cases[i].body, cases[i].hdrs);
        rt_expect_error(&r, cases[i].code, what);
    }
    /* NUL bytes inside the body */
    rt_http_mime(&r, "POST", "/api/v1/secret-keys", x.tok, "{\"key_name\":\"a\0b\"}", 18, NULL,
                 NULL);
    rt_expect_error(&r, 4220001, "NUL in body");
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_deep_nesting(void)
{
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;
    size_t depth = 200000;
    struct ac_buf b = AC_BUF_INIT;

    if (!srv)
        return;
    rt_resp_init(&r);
    ac_buf_adds(&b, "{\"key_name\":");
    for (size_t i = 0; i < depth; i++)
        ac_buf_addc(&b, '[');
    for (size_t i = 0; i < depth; i++)
        ac_buf_addc(&b, ']');
    ac_buf_addc(&b, '}');
    rt_http(&r, "POST", "/api/v1/secret-keys", x.tok, b.data, NULL);
    rt_expect_error(&r, 4220001, "200000 nested arrays");
    ac_buf_reset(&b);
    for (size_t i = 0; i < 5000; i++)
        ac_buf_adds(&b, "{\"a\":");
    ac_buf_adds(&b, "1");
    for (size_t i = 0; i < 5000; i++)
        ac_buf_addc(&b, '}');
    rt_http(&r, "POST", "/api/v1/microservices", x.tok, b.data, NULL);
    rt_expect_error(&r, 4220001, "5000 nested objects");
    /* deep but within the parser's limit: a validation error, no crash */
    ac_buf_reset(&b);
    ac_buf_adds(&b, "{\"key_name\":");
    for (size_t i = 0; i < 1000; i++)
        ac_buf_addc(&b, '[');
    for (size_t i = 0; i < 1000; i++)
        ac_buf_addc(&b, ']');
    ac_buf_addc(&b, '}');
    rt_http(&r, "POST", "/api/v1/secret-keys", x.tok, b.data, NULL);
    rt_expect_error(&r, 4000001, "1000 nested arrays as key_name");
    ac_buf_release(&b);
    rt_resp_release(&r);
    ref_server_stop(srv);
}

static void test_reference_stalled_client_gets_408(void)
{
    struct ctx x;
    struct ref_server *srv = rt_start_default(&x);
    struct resp r;
    long long took;
    char head[512], *raw;
    int fd;

    if (!srv)
        return;
    rt_resp_init(&r);
    /* 10 of 100 declared bytes, then silence */
    rt_run_stalled_body(&x, &r);
    rt_expect_error(&r, 4080001, "10 of 100 bytes");
    /* headers only, no body byte at all */
    fd = rt_raw_connect();
    snprintf(head, sizeof head,
             "PUT /api/v1/nlb/loadbalancers/cf-lb HTTP/1.1\r\nHost: x\r\nAuthorization: Token "
             "%s\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n",
             x.tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    raw = rt_read_all(fd, 5000, &took);
    rt_parse_raw(&r, raw);
    rt_expect_error(&r, 4080001, "headers only");
    T_TRUE(took >= 250 && took < 3000);
    T_CONTAINS(raw, "Connection: close");
    free(raw);
    close(fd);
    /* a slow client that keeps sending is not cut off: 5 x 10 bytes, 150 ms
     * apart, 600 ms in total, with a 300 ms read timeout */
    fd = rt_raw_connect();
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Token %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n",
             x.tok);
    send(fd, head, strlen(head), MSG_NOSIGNAL);
    {
        const char *body = "{\"key_name\":                               \"slow\"}";
        T_EQ_INT(strlen(body), 50);
        for (int i = 0; i < 5; i++) {
            rt_sleep_ms(150);
            send(fd, body + i * 10, 10, MSG_NOSIGNAL);
        }
    }
    raw = rt_read_all(fd, 1500, NULL);
    T_CONTAINS(raw, "HTTP/1.1 201");
    T_CONTAINS(raw, "\"slow\"");
    free(raw);
    close(fd);
    rt_http(&r, "GET", "/api/v1/secret-keys", x.tok, NULL, NULL);
    rt_expect_status(&r, 200, "still serving after stalled clients");
    rt_resp_release(&r);
    ref_server_stop(srv);
}

struct bg_req {
    pthread_t th;
    struct resp r;
    const char *tok;
};

static void *bg_main(void *arg)
{
    struct bg_req *b = arg;
    rt_http(&b->r, "GET", "/api/v1/secret-keys", b->tok, NULL, NULL);
    return NULL;
}

static void test_reference_latency_does_not_serialise(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct ctx x;
    struct bg_req reqs[4];
    long long t0, took;

    rt_test_config(&cfg);
    cfg.latency_ms = 300;
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_ctx_init(&x, NULL);
    t0 = rt_now_ms();
    for (int i = 0; i < 4; i++) {
        rt_resp_init(&reqs[i].r);
        reqs[i].tok = x.tok;
        pthread_create(&reqs[i].th, NULL, bg_main, &reqs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(reqs[i].th, NULL);
        T_EQ_INT(reqs[i].r.status, 200);
        T_TRUE(reqs[i].r.seconds >= 0.29);
        rt_resp_release(&reqs[i].r);
    }
    took = rt_now_ms() - t0;
    printf("\n    4 parallel requests with 300 ms latency took %lld ms\n", took);
    T_TRUE(took < 1000);
    ref_server_stop(srv);
}

static void test_reference_stop_with_connections_open(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct bg_req bg;
    int stalled, idle;
    long long t0;
    char head[512];

    rt_test_config(&cfg);
    cfg.latency_ms = 5000;      /* a request suspended for its latency */
    cfg.read_timeout_ms = 5000; /* a body stalled and watched */
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&bg.r);
    bg.tok = NULL; /* 4010001, held back for its 5 s of latency */
    pthread_create(&bg.th, NULL, bg_main, &bg);
    stalled = rt_raw_connect();
    snprintf(head, sizeof head,
             "POST /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"a\"");
    send(stalled, head, strlen(head), MSG_NOSIGNAL);
    idle = rt_raw_connect();
    rt_sleep_ms(200);
    t0 = rt_now_ms();
    ref_server_stop(srv);
    printf("\n    stop with 3 open connections took %lld ms\n", rt_now_ms() - t0);
    T_TRUE(rt_now_ms() - t0 < 2000);
    pthread_join(bg.th, NULL);
    rt_resp_release(&bg.r);
    close(stalled);
    close(idle);
}

static void test_reference_connection_limit_and_huge_headers(void)
{
    struct ref_config cfg;
    struct ref_server *srv;
    struct resp r;
    int fds[4], extra;
    char *raw;
    struct ac_buf big = AC_BUF_INIT;

    rt_test_config(&cfg);
    cfg.connection_limit = 4;
    srv = rt_start(&cfg);
    if (!srv)
        return;
    rt_resp_init(&r);
    for (int i = 0; i < 4; i++)
        fds[i] = rt_raw_connect();
    rt_sleep_ms(100);
    /* the fifth connection is accepted and closed at once, unanswered */
    extra = rt_raw_connect();
    if (extra >= 0) {
        send(extra, "GET /api/v1/x HTTP/1.1\r\nHost: x\r\n\r\n", 36, MSG_NOSIGNAL);
        raw = rt_read_all(extra, 2000, NULL);
        T_EQ_STR(raw, "");
        free(raw);
        close(extra);
    }
    for (int i = 0; i < 4; i++)
        close(fds[i]);
    rt_sleep_ms(100);
    rt_http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
    rt_expect_error(&r, 4040006, "served again once connections closed");
    /* a 100 KB header is refused by libmicrohttpd itself, without a crash */
    ac_buf_adds(&big, "GET /api/v1/secret-keys HTTP/1.1\r\nHost: x\r\nX-Big: ");
    for (int i = 0; i < 100000; i++)
        ac_buf_addc(&big, 'a');
    ac_buf_adds(&big, "\r\n\r\n");
    extra = rt_raw_connect();
    send(extra, big.data, big.len, MSG_NOSIGNAL);
    raw = rt_read_all(extra, 2000, NULL);
    T_CONTAINS(raw, "HTTP/1.1 431");
    free(raw);
    close(extra);
    rt_http(&r, "GET", "/api/v1/cf-no-such-api", NULL, NULL, NULL);
    rt_expect_error(&r, 4040006, "served after a huge header");
    ac_buf_release(&big);
    rt_resp_release(&r);
    ref_server_stop(srv);
}

int rt_register_robust(void)
{
    CU_pSuite s = CU_add_suite("reference: robustness", rt_suite_init, rt_suite_clean);

    if (!s || !CU_add_test(s, "rejects oversized bodies", test_reference_oversized_body) ||
        !CU_add_test(s, "rejects malformed JSON", test_reference_malformed_json) ||
        !CU_add_test(s, "survives deep nesting", test_reference_deep_nesting) ||
        !CU_add_test(s, "answers a stalled client with 408",
                     test_reference_stalled_client_gets_408) ||
        !CU_add_test(s, "adds latency without serialising requests",
                     test_reference_latency_does_not_serialise) ||
        !CU_add_test(s, "stops with connections open", test_reference_stop_with_connections_open) ||
        !CU_add_test(s, "limits connections and survives huge headers",
                     test_reference_connection_limit_and_huge_headers))
        return -1;
    return 0;
}
