/* runners/transfer.c -- the engine's libcurl transfers (engine_int.h).
 *
 * The only file of the engine that sets CURLOPT_* options: the bounds every
 * transfer has (protocols, no redirects, timeouts, body and header caps),
 * the callbacks that keep an answer within them and end a stalled upload
 * once its answer is complete, the options of a built request, and the
 * one-off requests outside scenarios (token, preflight, engine_request).
 * It sends nothing of its own accord: the jobs decide what and when. */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t len = size * n;

    /* Never grow on the server's say-so beyond the cap; what fits is kept
     * (it may already show a message no catalog holds, see verify.c). */
    if (len > j->e->cfg.body_cap - j->resp.len) {
        j->over_cap = 1;
        if (ac_buf_add(&j->resp, p, j->e->cfg.body_cap - j->resp.len) < 0)
            j->oom_reading = 1;
        return CURL_WRITEFUNC_ERROR;
    }
    if (ac_buf_add(&j->resp, p, len) < 0)
        return CURL_WRITEFUNC_ERROR;
    return len;
}

static int contains_ci(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w), i;

    for (i = 0; i + k <= n; i++)
        if (strncasecmp(p + i, w, k) == 0)
            return 1;
    return 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t len = size * n, k;

    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new response (after 100 Continue, say): forget the old one. */
        ac_buf_reset(&j->hdrtext);
        free(j->retry_after);
        j->retry_after = NULL;
        j->stall_chunked = 0;
    }
    if (j->stalling && len > 18 && strncasecmp(p, "transfer-encoding:", 18) == 0 &&
        contains_ci(p + 18, len - 18, "chunked"))
        j->stall_chunked = 1;
    if (j->stalling && len <= 2 && (p[0] == '\r' || p[0] == '\n')) {
        /* The end of the answer's headers: with nothing to follow, the
         * answer is complete although the stalled upload never is. */
        curl_off_t cl = -1;
        long code = 0;
        curl_easy_getinfo(j->h, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_getinfo(j->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
        if (code >= 200 && cl == 0)
            j->stall_answered = 1;
        /* Without a length, the body is chunked or lasts until the target
         * closes (RFC 9112 section 6.3). */
        j->stall_open_ended = code >= 200 && cl < 0 && !j->stall_chunked;
    }
    if (len > 12 && strncasecmp(p, "retry-after:", 12) == 0 && !j->retry_after) {
        const char *v = p + 12;
        size_t vl = len - 12;
        while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
            vl--;
        if (vl > 128)
            vl = 128; /* enough for any honest value; the rest is noise */
        j->retry_after = malloc(vl + 1);
        j->oom_reading |= !j->retry_after;
        if (j->retry_after) {
            memcpy(j->retry_after, v, vl);
            j->retry_after[vl] = '\0';
            for (k = 0; k < vl; k++)
                if (j->retry_after[k] == '\0')
                    j->retry_after[k] = '?';
        }
    }
    if (j->hdrtext.len + len > j->e->cfg.header_cap) {
        j->hdr_over = 1;
        return 0;
    }
    /* The checks read the answer's headers from this text. */
    if (ac_buf_add(&j->hdrtext, p, len) < 0)
        j->oom_reading = 1;
    return len;
}

/* 1 when the target closed the connection of a stalled upload and all it
 * sent was read: a peek finds the end of the stream. (libcurl 7.88 tells
 * no socket through CURLINFO_ACTIVESOCKET while a transfer runs, hence
 * on_sockopt.) */
static int peer_closed(struct job *j)
{
    char c;

    return j->stall_fd != CURL_SOCKET_BAD && recv(j->stall_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* Notes the socket of a stalled upload's own connection. */
static int on_sockopt(void *ud, curl_socket_t fd, curlsocktype purpose)
{
    struct job *j = ud;

    if (purpose == CURLSOCKTYPE_IPCXN)
        j->stall_fd = fd;
    return CURL_SOCKOPT_OK;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    struct job *j = ud;

    (void)ut, (void)un;
    /* A stalled upload never completes, so libcurl would wait for it even
     * after the whole answer arrived: end the transfer here instead. Any
     * complete answer counts: its Content-Length read, its last chunk seen
     * (on_debug), or, without either, the connection closed. */
    if (j && j->stalling &&
        (j->stall_answered || (dt > 0 && dn >= dt) || (j->stall_open_ended && peer_closed(j)))) {
        j->stall_answered = 1;
        return 1;
    }
    /* A second interrupt cuts every transfer short; the first one those
     * outside scenarios (token, preflight, sweep: engine_run ends the
     * scenarios' own, see cut_transfers). */
    return engine_interrupts >= 2 || (engine_interrupts && j && !j->run);
}

/* For a stalled upload only: libcurl decodes a chunked body before the
 * write callback sees it, and keeps quiet about its end while the upload
 * is open; the raw bytes it reads show the last chunk. */
static int on_debug(CURL *h, curl_infotype type, char *p, size_t n, void *ud)
{
    struct job *j = ud;

    (void)h;
    if (type == CURLINFO_DATA_IN && j->stall_chunked && engine_chunks_feed(&j->chunks, p, n) == 1)
        j->stall_answered = 1;
    return 0;
}

/* Feeds the body, then pauses: the declared Content-Length is never met,
 * so the server's read timeout must answer (the request-timeout code). */
static size_t on_stall_read(char *buf, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t room = size * n, left = j->req_len - j->req_sent;

    if (left == 0)
        return CURL_READFUNC_PAUSE;
    if (left > room)
        left = room;
    memcpy(buf, j->req_body + j->req_sent, left);
    j->req_sent += left;
    return left;
}

/* Options that bound every transfer (see research/reliability.md §2.1). */
static void set_common(struct engine *e, CURL *h, struct job *j)
{
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, e->cfg.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, e->cfg.timeout_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)e->cfg.body_cap);
    curl_easy_setopt(h, CURLOPT_HTTP09_ALLOWED, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, j);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_PRIVATE, j);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    if (e->cfg.cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, e->cfg.cacert);
    if (e->cfg.insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    /* HTTP/2 when a TLS server offers it, HTTP/1.1 otherwise. */
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    if (e->cfg.easy_hook)
        e->cfg.easy_hook(h, e->cfg.easy_hook_data);
}

int transfer_prepare(struct job *j, const struct step *st, struct built *b, const char *tok)
{
    struct engine *e = j->e;
    size_t i;
    char line[4200];

    curl_easy_reset(j->h);
    set_common(e, j->h, j);
    curl_slist_free_all(j->hdrs);
    j->hdrs = NULL;
    /* No 100-continue round trip; JSON is what we ask for. */
    j->hdrs = curl_slist_append(j->hdrs, "Expect:");
    j->hdrs = curl_slist_append(j->hdrs, "Accept: application/json");
    if (tok) {
        contract_auth_line(contract_active(), tok, line, sizeof line);
        j->hdrs = curl_slist_append(j->hdrs, line);
    }
    for (i = 0; i < b->nheaders; i++)
        j->hdrs = curl_slist_append(j->hdrs, b->headers[i]);
    if (b->content_type) {
        snprintf(line, sizeof line, "Content-Type: %s", b->content_type);
        j->hdrs = curl_slist_append(j->hdrs, line);
    } else if (b->has_body) {
        j->hdrs = curl_slist_append(j->hdrs, "Content-Type:");
    }
    if (!j->hdrs)
        return -1;
    curl_easy_setopt(j->h, CURLOPT_HTTPHEADER, j->hdrs);
    curl_easy_setopt(j->h, CURLOPT_URL, b->url);
    free(j->req_body);
    j->req_len = b->body.len;
    j->req_body = ac_buf_take(&b->body);
    j->req_sent = 0;
    if (st->stall) {
        curl_easy_setopt(j->h, CURLOPT_POST, 1L);
        curl_easy_setopt(j->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)st->stall);
        curl_easy_setopt(j->h, CURLOPT_READFUNCTION, on_stall_read);
        curl_easy_setopt(j->h, CURLOPT_READDATA, j);
        /* Only to see the raw bytes of a chunked answer (on_debug). */
        curl_easy_setopt(j->h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(j->h, CURLOPT_DEBUGDATA, j);
        curl_easy_setopt(j->h, CURLOPT_VERBOSE, 1L);
        /* A connection of its own, whose socket on_sockopt notes: a stall
         * is ended by cutting the transfer, which ends the connection too. */
        curl_easy_setopt(j->h, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(j->h, CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(j->h, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
        curl_easy_setopt(j->h, CURLOPT_SOCKOPTDATA, j);
        if (strcmp(b->method, "POST") != 0)
            curl_easy_setopt(j->h, CURLOPT_CUSTOMREQUEST, b->method);
    } else if (b->has_body) {
        curl_easy_setopt(j->h, CURLOPT_POSTFIELDS, j->req_body);
        curl_easy_setopt(j->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->req_len);
        if (strcmp(b->method, "POST") != 0)
            curl_easy_setopt(j->h, CURLOPT_CUSTOMREQUEST, b->method);
    } else if (strcmp(b->method, "HEAD") == 0) {
        curl_easy_setopt(j->h, CURLOPT_NOBODY, 1L);
    } else if (strcmp(b->method, "GET") != 0) {
        curl_easy_setopt(j->h, CURLOPT_CUSTOMREQUEST, b->method);
        if (strcmp(b->method, "POST") == 0) {
            curl_easy_setopt(j->h, CURLOPT_POSTFIELDS, "");
            curl_easy_setopt(j->h, CURLOPT_POSTFIELDSIZE, 0L);
        }
    }
    return 0;
}

char *transfer_reason(const struct job *j, CURLcode rc)
{
    struct ac_buf b = AC_BUF_INIT;
    const struct engine_config *c = &j->e->cfg;

    if (j->over_cap || rc == CURLE_FILESIZE_EXCEEDED)
        ac_buf_addf(&b, "response body exceeded the %zu-byte cap", c->body_cap);
    else if (j->hdr_over)
        ac_buf_addf(&b, "response headers exceeded the %zu-byte cap", c->header_cap);
    else if (rc == CURLE_OUT_OF_MEMORY)
        ac_buf_adds(&b, "response header line too large (or out of memory)");
    else if (j->cut == CUT_SECOND ||
             (j->run && rc == CURLE_ABORTED_BY_CALLBACK && engine_interrupts >= 2))
        ac_buf_adds(&b, "interrupted: cut short by a second signal");
    else if (j->cut == CUT_BUDGET || (rc == CURLE_OPERATION_TIMEDOUT && j->clamp_ms))
        ac_buf_addf(&b, "interrupted: no answer within the interrupt budget (%ld ms)",
                    c->interrupt_budget_ms);
    else if (j->cut == CUT_AT_ONCE)
        ac_buf_adds(&b, "interrupted: the request in flight was cut short");
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        ac_buf_addf(&b, "timeout: no complete answer within %ld ms (%s)", c->timeout_ms,
                    j->errbuf[0] ? j->errbuf : "timed out");
    else if (rc == CURLE_COULDNT_CONNECT)
        ac_buf_addf(&b, "connection refused: %s",
                    j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
        ac_buf_addf(&b, "TLS: %s (use --cacert FILE, or --insecure)",
                    j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    else if (rc == CURLE_SSL_CONNECT_ERROR)
        /* No certificate was judged: the handshake itself failed, most
         * often because the port speaks plain http. */
        ac_buf_addf(&b,
                    "TLS: the handshake failed (%s); does this port speak TLS? For a "
                    "plain-http server use an http:// base URL",
                    j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc));
    else if (rc == CURLE_ABORTED_BY_CALLBACK)
        ac_buf_adds(&b, "interrupted");
    else
        ac_buf_addf(&b, "%s: %s", curl_easy_strerror(rc), j->errbuf[0] ? j->errbuf : "");
    return ac_buf_take(&b);
}

int transfer_simple(struct engine *e, const char *method, const char *path, const char *json_body,
                    const char *token, const char *extra_header, long *status, struct ac_buf *resp,
                    struct ac_error *err)
{
    struct job j;
    struct curl_slist *h = NULL;
    struct ac_buf url = AC_BUF_INIT;
    char line[4200];
    CURLcode rc;
    int ret = -1;

    memset(&j, 0, sizeof j);
    j.e = e;
    j.h = curl_easy_init();
    if (!j.h)
        return ac_error_nomem(err, NULL);
    set_common(e, j.h, &j);
    curl_easy_setopt(j.h, CURLOPT_PRIVATE, NULL);
    ac_buf_addf(&url, "%s%s", e->base_url, path);
    curl_easy_setopt(j.h, CURLOPT_URL, url.data);
    h = curl_slist_append(h, "Expect:");
    h = curl_slist_append(h, "Accept: application/json");
    if (token) {
        contract_auth_line(contract_active(), token, line, sizeof line);
        h = curl_slist_append(h, line);
    }
    if (extra_header)
        h = curl_slist_append(h, extra_header);
    if (json_body) {
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(j.h, CURLOPT_POSTFIELDS, json_body);
    } else if (strcmp(method, "POST") == 0) {
        /* A contract's token request may have no body: still a POST. */
        curl_easy_setopt(j.h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(j.h, CURLOPT_POSTFIELDSIZE, 0L);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
        curl_easy_setopt(j.h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(j.h, CURLOPT_HTTPHEADER, h);
    e->requests++;
    rc = curl_easy_perform(j.h);
    if (rc != CURLE_OK) {
        char *why = transfer_reason(&j, rc);
        char *safe = redact_dup(e->red, why);
        ac_error_set(err, AC_ERR_TRANSPORT, NULL, "%s %s: %s", method, path, safe ? safe : "");
        free(why);
        free(safe);
        goto out;
    }
    curl_easy_getinfo(j.h, CURLINFO_RESPONSE_CODE, status);
    ac_buf_add(resp, j.resp.data ? j.resp.data : "", j.resp.len);
    ret = 0;
out:
    curl_slist_free_all(h);
    curl_easy_cleanup(j.h);
    free(j.retry_after);
    ac_buf_release(&j.resp);
    ac_buf_release(&j.hdrtext);
    ac_buf_release(&url);
    return ret;
}

void transfer_clamp(struct job *j, long long left)
{
    struct engine *e = j->e;

    if (left < 1)
        left = 1;
    if (left < e->cfg.timeout_ms) {
        j->clamp_ms = (long)left;
        curl_easy_setopt(j->h, CURLOPT_TIMEOUT_MS, j->clamp_ms);
    }
    if (left < e->cfg.connect_timeout_ms)
        curl_easy_setopt(j->h, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
}
