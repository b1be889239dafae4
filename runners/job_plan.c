/* runners/job_plan.c -- a job's program and what it holds (engine_int.h).
 *
 * A scenario flattened into one list of steps (fixture setups, setup,
 * probe, teardown, fixture teardowns in reverse); fixtures the profile
 * serves give their variables instead of steps, and run-scoped ones are
 * set up by the first scenario that needs them and published to the
 * others (or, when their setup failed, tried again by the next one). The
 * lease a scenario needs against the quotas is counted here too. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_steps(struct job *j, const struct step *v, size_t n, enum exchange_phase ph,
                     const char *owner)
{
    struct job_step *ns = realloc(j->steps, (j->nsteps + n + 1) * sizeof *ns);
    size_t i;

    if (!ns)
        return -1;
    j->steps = ns;
    for (i = 0; i < n; i++) {
        ns[j->nsteps].st = &v[i];
        ns[j->nsteps].phase = ph;
        ns[j->nsteps].number = (int)i + 1;
        ns[j->nsteps].owner = owner;
        j->nsteps++;
    }
    return 0;
}

/* The fixture the configuration serves under name (not set up, not torn
 * down), or NULL. */
static const struct profile_fixture *given_fixture(const struct engine *e, const char *name)
{
    size_t i;

    for (i = 0; i < e->cfg.ngiven; i++)
        if (strcmp(e->cfg.given[i].name, name) == 0)
            return &e->cfg.given[i];
    return NULL;
}

/* The run-wide state of fixture f when it is run-scoped, else NULL; made
 * on first use (NULL also when memory runs out: it is then set up per
 * scenario, which is slower but not wrong). */
static struct shared_fixture *shared_of(struct engine *e, const struct fixture *f)
{
    struct shared_fixture *ns;
    size_t i;

    if (!f->run_scope)
        return NULL;
    for (i = 0; i < e->nshared; i++)
        if (e->shared[i].f == f)
            return &e->shared[i];
    ns = realloc(e->shared, (e->nshared + 1) * sizeof *ns);
    if (!ns)
        return NULL;
    e->shared = ns;
    memset(&ns[e->nshared], 0, sizeof *ns);
    ns[e->nshared].f = f;
    return &ns[e->nshared++];
}

/* Flattens fixtures, setup, probe and teardowns into one program. A
 * fixture served by an existing resource contributes its variables
 * instead of its steps. */
int job_plan(struct job *j, const struct suite *s)
{
    const struct scenario *sc = j->run->sc;
    size_t i, k;

    for (i = 0; i < sc->nfixtures; i++) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        const struct profile_fixture *g = f ? given_fixture(j->e, f->name) : NULL;
        struct shared_fixture *sh = f && !g ? shared_of(j->e, f) : NULL;
        if (sh && sh->state == SHARED_DONE) {
            /* Set up earlier in the run: its variables, not its steps. */
            const char *name;
            json_t *val;
            json_object_foreach (sh->vars, name, val) {
                if (vars_set(j->vars, name, val) < 0)
                    return -1;
            }
            continue;
        }
        if (sh) {
            struct owned_fixture *no = realloc(j->own, (j->nown + 1) * sizeof *no);
            if (!no || add_steps(j, f->setup, f->nsetup, PHASE_FIXTURE_SETUP, f->name) < 0) {
                if (no)
                    j->own = no;
                return -1;
            }
            j->own = no;
            j->own[j->nown].sh = (size_t)(sh - j->e->shared);
            j->own[j->nown].end = j->nsteps;
            j->own[j->nown].published = 0;
            j->nown++;
            sh->state = SHARED_RUNNING;
            continue;
        }
        for (k = 0; g && k < g->nvars; k++) {
            const char *eq = strchr(g->vars[k], '=');
            char *name = eq ? strndup(g->vars[k], (size_t)(eq - g->vars[k])) : NULL;
            int rc = name ? vars_set_str(j->vars, name, eq + 1) : -1;
            free(name);
            if (rc < 0)
                return -1;
        }
        if (f && !g && add_steps(j, f->setup, f->nsetup, PHASE_FIXTURE_SETUP, f->name) < 0)
            return -1;
    }
    if (add_steps(j, sc->setup, sc->nsetup, PHASE_SETUP, NULL) < 0 ||
        add_steps(j, &sc->request, 1, PHASE_PROBE, NULL) < 0)
        return -1;
    j->teardown_at = j->nsteps;
    if (add_steps(j, sc->teardown, sc->nteardown, PHASE_TEARDOWN, NULL) < 0)
        return -1;
    for (i = sc->nfixtures; i-- > 0;) {
        const struct fixture *f = suite_fixture(s, sc->fixtures[i]);
        if (f && !given_fixture(j->e, f->name) &&
            add_steps(j, f->teardown, f->nteardown, PHASE_FIXTURE_TEARDOWN, f->name) < 0)
            return -1;
    }
    return 0;
}

/* What a scenario holds while it lives: its own holds and those of the
 * fixtures it sets up itself (not those served by the profile or already
 * set up for the run). *blocked: a run-scoped fixture it needs is being
 * set up by another scenario right now: wait for it. */
struct need_filter {
    struct engine *e;
    int blocked;
};

/* The fixtures a job sets up itself: not those the profile serves, nor
 * run-scoped ones already set up; one being set up by another job now
 * counts, and blocks. */
static int job_sets_up(void *ud, const struct fixture *f)
{
    struct need_filter *nf = ud;
    struct shared_fixture *sh;

    if (given_fixture(nf->e, f->name))
        return 0;
    sh = shared_of(nf->e, f);
    if (sh && sh->state == SHARED_DONE)
        return 0;
    if (sh && sh->state == SHARED_RUNNING)
        nf->blocked = 1;
    return 1;
}

void job_need(struct engine *e, const struct suite *s, const struct scenario *sc, int *need,
              int *keep, int *blocked)
{
    struct need_filter nf = {e, 0};

    suite_scenario_holds_if(s, sc, job_sets_up, &nf, need, keep);
    *blocked = nf.blocked;
}

/* Records the outcome of the run-scoped fixtures the job has set up once
 * it is past their setup: their variables for every later scenario, or,
 * when the setup failed, nothing (the next scenario that needs one tries
 * again). at_end: the job is over. */
void job_publish_owned(struct job *j, int at_end)
{
    size_t i, k;

    for (i = 0; i < j->nown; i++) {
        struct owned_fixture *o = &j->own[i];
        struct shared_fixture *sh = &j->e->shared[o->sh];
        const struct fixture *f = sh->f;
        if (o->published || (!at_end && j->pc < o->end))
            continue;
        o->published = 1;
        sh->state = SHARED_NONE;
        if (j->failed) {
            /* It failed in that setup (past it, nothing else can): what it
             * would have kept is given back with the rest of the lease. */
            for (k = 0; f->persistent && k < f->nholds; k++)
                j->keep[f->holds[k].quota] -= f->holds[k].n;
            continue;
        }
        json_decref(sh->vars);
        sh->vars = json_object();
        for (k = 0; sh->vars && k < f->nprovides; k++) {
            json_t *v = vars_get(j->vars, f->provides[k]);
            if (!v || json_object_set(sh->vars, f->provides[k], v) < 0)
                break;
        }
        if (!sh->vars || k < f->nprovides)
            continue;
        sh->state = SHARED_DONE;
        if (f->persistent) {
            /* Said in the report: left on the account on purpose. */
            char *text = json_dumps(sh->vars, JSON_COMPACT | JSON_SORT_KEYS);
            char *red = text ? engine_dup_redacted(j->e, text, strlen(text), 1024) : NULL;
            ac_buf_addf(&j->e->kept, "%s %s\n", f->name, red ? red : "");
            free(red);
            free(text);
        }
    }
}

void job_release(struct job *j)
{
    curl_slist_free_all(j->hdrs);
    vars_free(j->vars);
    json_decref(j->each_list);
    free(j->steps);
    free(j->url);
    free(j->method);
    free(j->req_body);
    free(j->retry_after);
    free(j->curl_cmd);
    free(j->own);
    ac_buf_release(&j->resp);
    ac_buf_release(&j->hdrtext);
    memset(j, 0, sizeof *j);
}
