/* tests/contract2server.c -- a small API of another contract, for
 * test_contract2: proof that the contract is data.
 *
 * The "widgets API v2" answers errors as {"error": {"code": 40401,
 * "message": "Widget not found"}} with 5-digit codes (status and a 2-digit
 * detail, no service), takes "Authorization: Bearer TOKEN", hands out a
 * token at POST /v2/auth/token for {"client_id", "client_secret"}, and
 * answers GET /v2/whoami when the token works. tests/data/contract2/
 * holds its contract, catalog and suite. Every answer carries a Request-Id
 * UUID; the 429 of GET /v2/limited a Retry-After.
 *
 *   contract2server [--port N] [--mutate wrong-message|no-retry-after]
 *
 * --port 0 (the default) takes an ephemeral loopback port; the port is the
 * first line on stdout. --mutate wrong-message changes one message (that
 * of 40401); --mutate no-retry-after drops the 429's Retry-After header.
 * SIGTERM or SIGINT stop it (exit 0). libmicrohttpd, one thread. */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENT_ID "c2-client-id-0001"
#define CLIENT_SECRET "c2-client-secret-0001"
#define TOKEN "c2-bearer-5f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f"
#define MAX_BODY (64 * 1024)
#define MAX_WIDGETS 1000

enum mutation { MUTATE_NONE, MUTATE_WRONG_MESSAGE, MUTATE_NO_RETRY_AFTER };

struct widget {
    long id;
    char name[128];
};

static struct {
    enum mutation mutate;
    struct widget widgets[MAX_WIDGETS];
    size_t n;
    long next_id;
    unsigned long requests;
} S = {MUTATE_NONE, {{0, ""}}, 0, 1, 0};

/* A request's body, gathered over the callbacks. */
struct upload {
    char *data;
    size_t len;
    int too_big;
};

static const char *message_of(long code)
{
    switch (code) {
    case 40001: return "Malformed JSON body";
    case 40002: return "Missing required field: name";
    case 40003: return "Widget id must be a number";
    case 40101: return "Missing bearer token";
    case 40102: return "Invalid bearer token";
    case 40103: return "Invalid client credentials";
    case 40301: return "Admin scope required";
    case 40401:
        return S.mutate == MUTATE_WRONG_MESSAGE ? "No widget with that id" : "Widget not found";
    case 40402: return "No such route";
    case 40501: return "Method not allowed";
    case 40901: return "Widget name already taken";
    case 41501: return "Unsupported media type";
    case 42901: return "Too many requests";
    }
    return "Internal error";
}

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    char rid[40];
    struct MHD_Response *resp;
    enum MHD_Result ok;
    int has_body = body != NULL;

    json_decref(body);
    resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, text ? text : (void *)"",
                                           MHD_RESPMEM_MUST_COPY);
    free(text);
    if (!resp)
        return MHD_NO;
    snprintf(rid, sizeof rid, "00000000-0000-4000-8000-%012lx", ++S.requests);
    MHD_add_response_header(resp, "Request-Id", rid);
    if (has_body)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (status == 429 && S.mutate != MUTATE_NO_RETRY_AFTER)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    ok = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result fail(struct MHD_Connection *conn, long code)
{
    return answer(conn, (unsigned)(code / 100),
                  json_pack("{s:{s:I, s:s}}", "error", "code", (json_int_t)code, "message",
                            message_of(code)));
}

static json_t *widget_json(const struct widget *w)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)w->id, "name", w->name);
}

/* The widget of a path segment: *code 40003 (not a number) or 40401. */
static struct widget *find(const char *seg, size_t *at, long *code)
{
    char *end;
    long id;
    size_t i;

    if (!*seg || strspn(seg, "0123456789") != strlen(seg) || strlen(seg) > 12) {
        *code = 40003;
        return NULL;
    }
    id = strtol(seg, &end, 10);
    for (i = 0; i < S.n; i++)
        if (S.widgets[i].id == id) {
            *at = i;
            return &S.widgets[i];
        }
    *code = 40401;
    return NULL;
}

static enum MHD_Result create(struct MHD_Connection *conn, const struct upload *u)
{
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    json_t *root, *name;
    size_t i, n;

    n = ct ? strcspn(ct, "; \t") : 0;
    if (!ct || n != strlen("application/json") || strncasecmp(ct, "application/json", n) != 0)
        return fail(conn, 41501);
    root = json_loadb(u->data ? u->data : "", u->len, 0, NULL);
    if (!root)
        return fail(conn, 40001);
    name = json_object_get(root, "name");
    if (!json_is_string(name) || json_string_length(name) == 0 ||
        json_string_length(name) >= sizeof S.widgets[0].name) {
        json_decref(root);
        return fail(conn, 40002);
    }
    for (i = 0; i < S.n; i++)
        if (strcmp(S.widgets[i].name, json_string_value(name)) == 0) {
            json_decref(root);
            return fail(conn, 40901);
        }
    if (S.n == MAX_WIDGETS) {
        json_decref(root);
        return fail(conn, 50001);
    }
    S.widgets[S.n].id = S.next_id++;
    snprintf(S.widgets[S.n].name, sizeof S.widgets[S.n].name, "%s", json_string_value(name));
    json_decref(root);
    return answer(conn, 201, widget_json(&S.widgets[S.n++]));
}

static enum MHD_Result token(struct MHD_Connection *conn, const char *method,
                             const struct upload *u)
{
    json_t *root, *id, *secret;
    int ok;

    if (strcmp(method, "POST") != 0)
        return fail(conn, 40501);
    root = json_loadb(u->data ? u->data : "", u->len, 0, NULL);
    if (!root)
        return fail(conn, 40001);
    id = json_object_get(root, "client_id");
    secret = json_object_get(root, "client_secret");
    ok = json_is_string(id) && json_is_string(secret) &&
         strcmp(json_string_value(id), CLIENT_ID) == 0 &&
         strcmp(json_string_value(secret), CLIENT_SECRET) == 0;
    json_decref(root);
    if (!ok)
        return fail(conn, 40103);
    return answer(conn, 200,
                  json_pack("{s:s, s:s, s:i}", "access_token", TOKEN, "token_type", "Bearer",
                            "expires_in", 3600));
}

static enum MHD_Result route(struct MHD_Connection *conn, const char *url, const char *method,
                             const struct upload *u)
{
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    struct widget *w;
    size_t at = 0, i;
    long code = 0;

    if (u->too_big)
        return fail(conn, 40001);
    if (strcmp(url, "/v2/auth/token") == 0)
        return token(conn, method, u);
    if (!auth || strncmp(auth, "Bearer ", 7) != 0)
        return fail(conn, 40101);
    if (strcmp(auth + 7, TOKEN) != 0)
        return fail(conn, 40102);
    if (strcmp(url, "/v2/whoami") == 0)
        return strcmp(method, "GET") == 0
                   ? answer(conn, 200, json_pack("{s:s}", "client", CLIENT_ID))
                   : fail(conn, 40501);
    if (strcmp(url, "/v2/limited") == 0)
        return fail(conn, 42901);
    if (strncmp(url, "/v2/admin/", 10) == 0)
        return fail(conn, 40301);
    if (strcmp(url, "/v2/widgets") == 0) {
        if (strcmp(method, "POST") == 0)
            return create(conn, u);
        if (strcmp(method, "GET") == 0) {
            json_t *list = json_array();
            for (i = 0; i < S.n; i++)
                json_array_append_new(list, widget_json(&S.widgets[i]));
            return answer(conn, 200,
                          json_pack("{s:I, s:o}", "total", (json_int_t)S.n, "widgets", list));
        }
        return fail(conn, 40501);
    }
    if (strncmp(url, "/v2/widgets/", 12) == 0 && !strchr(url + 12, '/')) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0)
            return fail(conn, 40501);
        w = find(url + 12, &at, &code);
        if (!w)
            return fail(conn, code);
        if (strcmp(method, "GET") == 0)
            return answer(conn, 200, widget_json(w));
        memmove(&S.widgets[at], &S.widgets[at + 1], (S.n - at - 1) * sizeof S.widgets[0]);
        S.n--;
        return answer(conn, 204, NULL);
    }
    return fail(conn, 40402);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct upload *u = *con_cls;

    (void)cls;
    (void)version;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u)
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_size) {
        if (u->len + *upload_size > MAX_BODY) {
            u->too_big = 1;
        } else {
            char *grown = realloc(u->data, u->len + *upload_size + 1);
            if (!grown)
                return MHD_NO;
            u->data = grown;
            memcpy(u->data + u->len, upload_data, *upload_size);
            u->len += *upload_size;
            u->data[u->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return route(conn, url, method, u);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *u = *con_cls;

    (void)cls;
    (void)conn;
    (void)toe;
    if (u) {
        free(u->data);
        free(u);
    }
    *con_cls = NULL;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "contract2server: %s\n"
            "Usage: contract2server [--port N] [--mutate wrong-message|no-retry-after]\n",
            why);
    return 2;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    long port = 0;
    int i, sig;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            char *end;
            port = strtol(argv[++i], &end, 10);
            if (*end || port < 0 || port > 65535)
                return usage("--port: expected 0-65535");
        } else if (strcmp(argv[i], "--mutate") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "wrong-message") == 0)
                S.mutate = MUTATE_WRONG_MESSAGE;
            else if (strcmp(argv[i], "no-retry-after") == 0)
                S.mutate = MUTATE_NO_RETRY_AFTER;
            else
                return usage("--mutate: expected wrong-message or no-retry-after");
        } else if (strcmp(argv[i], "--quiet") != 0) {
            return usage("unknown argument");
        }
    }
    /* Blocked before the daemon's thread starts, so that it inherits the
     * mask and the signals reach sigwait below. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
                         NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "contract2server: cannot listen on port %ld\n", port);
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("%u\n", info ? (unsigned)info->port : (unsigned)port);
    fflush(stdout);
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
