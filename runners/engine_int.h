/* runners/engine_int.h -- private to the engine files: the engine's and a
 * job's state, and the functions those files share. Nothing outside them
 * includes it; their public face is engine.h.
 *
 * engine.c    the engine object (new, free, counters), the interrupt
 *             count, and the redacting copies every exchange is made of.
 * transfer.c  libcurl: the only file that sets CURLOPT_* on a transfer
 *             (its bounds and callbacks, a built request's handle, the
 *             one-off requests outside scenarios), and what a failed
 *             transfer is called.
 * request.c   a step turned into a request (expanded, a captured value
 *             kept from steering it), its curl command, the dry run, the
 *             built-in variables and what repro.c asks of the engine
 *             (engine_script_curl, engine_script_vars, engine_base_url,
 *             engine_phase_name): repro.c uses no other engine file.
 * session.c   the tokens and app credentials, the token request, the
 *             preflight and engine_request.
 * job_plan.c  a job's program (the scenario flattened, fixtures given or
 *             shared for the run) and the lease it needs.
 * job_send.c  moving a job to its next request: skip to teardown,
 *             for_each, pacing, issue.
 * job.c       a finished transfer, as a fixed order of named steps:
 *             retry, record, accept, probe, find (and its next page),
 *             capture, poll, advance.
 * job_retry.c when a request is sent again: transport, 429/503, polls.
 * job_note.c  what a job says: errors, interruption, not_cleaned, labels,
 *             -v lines.
 * scheduler.c engine_run: which scenario starts when (leases, scarcity,
 *             limit scenarios alone), the loop, the cut after an
 *             interrupt, a finished scenario's reproducer (repro.c).
 */
#ifndef ENGINE_INT_H
#define ENGINE_INT_H

#include <curl/curl.h>
#include <signal.h>

#include "capacity.h"
#include "engine.h"

#define INVALID_TOKEN "ffffffffffffffffffffffffffffffff"
#define HEADER_EXCERPT_CAP 2048
#define REQUEST_EXCERPT_CAP 2048

struct account_token {
    char *name; /* "main" or an account name */
    char *token;
};

struct engine {
    struct engine_config cfg;
    char *base_url;
    struct redactor *red;
    CURLM *multi;
    CURLSH *share;
    struct account_token *tokens;
    size_t ntokens;
    char *app_key, *app_secret;
    long long t0;                  /* engine start, monotonic ms */
    double next_slot;              /* rate limiter: earliest next request, ms */
    unsigned long requests;        /* requests sent (each retry and poll counts) */
    const struct suite *suite;     /* of the engine_run in progress, or NULL */
    struct capacity cap;           /* leases against the profile's quotas */
    struct shared_fixture *shared; /* run-scoped fixtures, nshared */
    size_t nshared;
    struct ac_buf kept;  /* persistent fixtures set up: one line each */
    long long deadline;  /* end of the interrupt budget, monotonic ms; 0 until
                            engine_run saw the first interrupt */
    long long last_tick; /* when cfg.tick was last called, monotonic ms */
};

/* A run-scoped fixture ("scope": "run", or persistent): set up once by the
 * first scenario that needs it, then served to the others from vars. */
enum shared_state { SHARED_NONE, SHARED_RUNNING, SHARED_DONE };
struct shared_fixture {
    const struct fixture *f;
    enum shared_state state;
    json_t *vars; /* object: what it provides, once DONE */
};

/* A run-scoped fixture a job sets up for everyone. */
struct owned_fixture {
    size_t sh;     /* index into engine.shared (which may move as it grows) */
    size_t end;    /* index of the step after its last setup step */
    int published; /* its outcome was recorded */
};

/* Why the engine itself ended a transfer (job.cut). */
enum cut_reason { CUT_NONE, CUT_AT_ONCE, CUT_BUDGET, CUT_SECOND };

/* One step of a job's flattened program. */
struct job_step {
    const struct step *st;
    enum exchange_phase phase;
    int number;        /* 1-based within its phase and owner */
    const char *owner; /* fixture name, or NULL */
};

struct job {
    struct engine *e;
    struct scenario_run *run;
    int need[SUITE_NQUOTAS];   /* leased for this scenario's lifetime */
    long long repeat_t0;       /* when the first send of a repeated probe left */
    int keep[SUITE_NQUOTAS];   /* of need: what persistent fixtures keep */
    struct owned_fixture *own; /* nown run-scoped fixtures it sets up */
    size_t nown;
    struct vars *vars;
    struct job_step *steps;
    size_t nsteps, pc, teardown_at;
    int failed;        /* skip to teardown */
    int attempt;       /* 1-based attempt of the current step (retry/repeat) */
    int tries;         /* transport tries of the current attempt */
    size_t each;       /* for_each iteration */
    json_t *each_list; /* the list being iterated (borrowed from vars) */
    int find_pages;    /* pages of the current step's paged find read so far
                          (job.c); 0: the step is sent as written */
    long find_offset;  /* with find_pages > 0: the offset parameter's value
                          its next page is sent with (request_build) */
    long long wake_at;
    long long poll_since; /* the current poll's first answer (job_poll_again) */
    long long poll_last;  /* its latest answer */
    /* In flight: */
    CURL *h;
    int busy;
    struct curl_slist *hdrs;
    char *url, *method;
    char *req_body;
    size_t req_len, req_sent;
    struct ac_buf resp, hdrtext;
    int over_cap, hdr_over;
    int stalling, stall_answered;        /* a `stall` request, and its answer is complete */
    int stall_chunked, stall_open_ended; /* its answer's body is chunked, or
                                            ends when the target closes */
    struct engine_chunks chunks;         /* the framing of a chunked answer to it */
    curl_socket_t stall_fd;              /* its connection's socket, or CURL_SOCKET_BAD */
    char *retry_after;                   /* Retry-After of the answer, raw, or NULL */
    int throttle_wait;                   /* waiting to retry a 429/503: its status */
    int oom_reading;                     /* an allocation failed while the answer arrived */
    char errbuf[CURL_ERROR_SIZE];
    long long t_sent;
    char *curl_cmd;
    enum cut_reason cut; /* the engine ended this transfer after an interrupt */
    long clamp_ms;       /* > 0: this request's timeout was cut to what was left
                            of the interrupt budget */
};

/* The request of a step, fully expanded. */
struct built {
    char *method;
    char *url;
    struct ac_buf body;
    int has_body;
    char *content_type;
    char **headers; /* "Name: value" */
    size_t nheaders;
    int auth_header_given;
};

/* ---- engine.c ---- */

/* The interrupts so far, 0 to 2 (see engine_interrupt). */
extern volatile sig_atomic_t engine_interrupts;

/* Monotonic milliseconds. */
long long engine_now_ms(void);

/* Milliseconds left of the interrupt budget (<= 0: spent; before the
 * first interrupt, the whole budget). */
long long engine_budget_left(const struct engine *e);

/* ---- transfer.c ---- */

/* Sets up the handle of job j (j->h) for the built request b of step st:
 * the bounds and callbacks of every transfer, its headers (token: the auth
 * line's token, or NULL for none), its body (taken from b) and method.
 * 0, or -1 on no memory. */
int transfer_prepare(struct job *j, const struct step *st, struct built *b, const char *token);

/* Cuts the timeouts of j's prepared transfer to left ms (at least 1) where
 * they are longer, noting the cut in j->clamp_ms. */
void transfer_clamp(struct job *j, long long left);

/* One request outside any scenario (token, preflight, engine_request),
 * performed at once with the engine's bounds: base URL + path, the token's
 * auth line when token is not NULL, extra_header ("Name: value") when not
 * NULL, json_body (NULL: none). Appends the answer's body to resp, sets
 * *status. 0, or -1 with err (AC_ERR_TRANSPORT) when no answer came. */
int transfer_simple(struct engine *e, const char *method, const char *path, const char *json_body,
                    const char *token, const char *extra_header, long *status, struct ac_buf *resp,
                    struct ac_error *err);

/* Why j's transfer ended with rc ("timeout: ...", "interrupted: ...", the
 * caps, TLS advice); heap string, NULL on no memory. */
char *transfer_reason(const struct job *j, CURLcode rc);

/* ---- request.c ---- */

/* Builds the request of step st with the variables v: its URL under the
 * base URL, headers and body expanded, a captured value in a path or
 * header made safe or refused. page_offset >= 0: the query's offset
 * parameter (the active contract's lists.offset_param) is sent with that
 * value instead of the step's own, or added when the step has none (a
 * paged find's next page); < 0: the query as written. 0, or -1 with err
 * (b is then to be released too). */
int request_build(const struct engine *e, const struct step *st, const struct vars *v,
                  long page_offset, struct built *b, struct ac_error *err);
void request_release(struct built *b);

/* The curl command of a built request, the token as a shell variable; ph:
 * the placeholders of a reproducer script (see engine_script_curl), or
 * NULL. Heap string, NULL on no memory. */
char *request_curl_command(const struct step *st, const struct built *b, const struct vars *ph);

/* Sets the built-ins ${run}, ${uniq} (of the scenario at index),
 * ${app_key}, ${app_secret} and the ${quota_NAME} of sc (s, sc may be
 * NULL) in v. */
void request_builtins(const struct engine *e, const struct suite *s, const struct scenario *sc,
                      struct vars *v, size_t index);

/* ---- session.c ---- */

/* The token of account (NULL: "main"), or NULL when none is known. */
const char *session_token(const struct engine *e, const char *account);

/* The token step st sends as its auth says (an account's, the invalid
 * one, or NULL: none). */
const char *session_step_token(const struct engine *e, const struct step *st);

/* Redacted copies (NULL on no memory or when s is NULL): masks first,
 * then cuts at cap, with a marker saying how much more there was
 * (at_least: s is itself the start of something longer). */
char *engine_dup_redacted_cut(const struct engine *e, const char *s, size_t n, size_t cap,
                              int at_least);
char *engine_dup_redacted(const struct engine *e, const char *s, size_t n, size_t cap);

/* Masks the values of credential headers of h by their name, keeping the
 * scheme; on no memory empties h and returns -1. */
int engine_mask_headers(struct ac_buf *h);

/* Replaces *s by its redacted copy; sets *oom when memory ran out. */
void engine_redact_in_place(const struct engine *e, char **s, int *oom);

/* Redacts o->message as a cut of the whole message in body. */
void engine_redact_message(const struct engine *e, struct observed *o, const char *body,
                           size_t len);

/* Frees what x holds and zeroes it. */
void engine_exchange_release(struct exchange *x);

/* ---- job_plan.c ---- */

/* Flattens scenario j->run->sc into j->steps (fixtures, setup, probe,
 * teardowns), taking the variables of fixtures served by the profile or
 * already set up for the run instead of their steps. 0, or -1 on no
 * memory. */
int job_plan(struct job *j, const struct suite *s);

/* The lease scenario sc needs (need) and of it what its persistent
 * fixtures keep (keep), SUITE_NQUOTAS each; *blocked when a run-scoped
 * fixture it needs is being set up by another scenario. */
void job_need(struct engine *e, const struct suite *s, const struct scenario *sc, int *need,
              int *keep, int *blocked);

/* Records the outcome of the run-scoped fixtures j has set up, once it is
 * past their setup (at_end: the job is over). */
void job_publish_owned(struct job *j, int at_end);

/* Frees what j holds and zeroes it (its handle is the caller's). */
void job_release(struct job *j);

/* ---- job_note.c ---- */

/* Sets the scenario's error unless one is set (the first explains the
 * rest). Redacted. */
void job_set_error(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* As job_set_error, for the interruption: the scenario is then reported as
 * interrupted, not as a failure of the target (when no other reason came
 * first). */
void job_set_interrupted(struct job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds "what: request: why" to what teardown may have left behind. */
void job_note_not_cleaned(struct job *j, const char *what, const char *request, const char *why);

/* 1 for a method whose answer may be the only word of what it created. */
int job_may_create(const char *method);

/* "setup 1 (create load balancer cf-lb-r3f9a1c-17)"; heap string. */
char *job_step_label(const struct job_step *js, int attempt, int repeat, const struct vars *v);

/* -v: the exchange x of scenario id on stderr. */
void job_verbose_print(const char *id, const struct exchange *x);

/* A probe's body over the cap: keeps the start of its message in x. */
void job_note_cut_message(struct job *j, struct exchange *x, long status);

/* ---- job_retry.c ---- */

/* 1 when a transfer that ended with rc, got bytes in, may be sent again. */
int job_retryable(CURLcode rc, const char *method, size_t got);

/* Schedules retry number `retry` of a request answered status (429/503)
 * at t, after the wait its Retry-After asks (capped). */
void job_throttle_retry(struct job *j, long status, int retry, long long t);

/* Why a 429/503 ends the step after `retries` retries; redacted heap
 * string. */
char *job_throttle_reason(const struct job *j, const struct job_step *js, const struct observed *o,
                          int retries);

/* A poll not yet there, its answer at t: schedules the next attempt (1),
 * or 0 when the suite's attempts are used up (and --poll-timeout, when
 * given, has passed since the first answer) or an interrupt came. */
int job_poll_again(struct job *j, const struct step *st, long long t);

/* ms from the current poll's first answer to its latest. */
long long job_poll_waited_ms(const struct job *j);

/* A poll an interrupt cut short: sets the job's state and returns 1. */
int job_poll_interrupted(struct job *j, const struct job_step *js, const struct exchange *x);

/* ---- job_send.c ---- */

/* Moves j forward until it has a request in flight, waits (j->wake_at) or
 * ends; 1 when it is finished (teardown done). */
int job_proceed(struct job *j);

/* ---- job.c ---- */

/* Takes j's finished transfer (rc its result) and decides what j does
 * next: send it again, poll again, repeat, the next element or step. */
void job_complete(struct job *j, CURLcode rc);

#endif
