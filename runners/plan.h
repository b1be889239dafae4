/* runners/plan.h -- which scenarios a run sends, and which it skips and why.
 *
 * Filters (codes, service, class, tags, shard) decide what is in the run at
 * all; capabilities (--allow destructive,limit,fault) and the accounts given
 * decide what of that is sent: a scenario whose requirement is not met is
 * kept, as skipped with the reason, so reports show it. Pure: no I/O. */
#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>

#include "../suite/suite.h"
#include "run.h"

struct plan_options {
    const long *codes; /* --code, or NULL/0: all */
    size_t ncodes;
    int service;       /* --service, -1: all */
    int cls;           /* --class (enum scenario_class), -1: all */
    char *const *tags; /* --tag: a scenario must carry one of them */
    size_t ntags;
    char *const *allowed; /* capabilities: "destructive", "limit", "fault" */
    size_t nallowed;
    char *const *accounts; /* names of the accounts given with --account */
    size_t naccounts;
    char *const *features; /* --feature: what the target has beyond the
                              documented API ("feature:NAME") */
    size_t nfeatures;
    const long *quotas;           /* SUITE_NQUOTAS numbers, -1 unknown; or NULL:
                                     all unknown */
    int shard_index, shard_count; /* 1-based; 0/0: no sharding */
};

/* Builds the runs of the selected scenarios, in suite order, each with its
 * skip reason or none. *runs is a heap array the caller releases with
 * plan_release. 0, or -1 on no memory. */
int plan_build(const struct suite *s, const struct plan_options *o, struct scenario_run **runs,
               size_t *n);

void plan_release(struct scenario_run *runs, size_t n);

/* Why a plan with no scenario is empty, for a usage error: the filter that
 * matches nothing in the suite, with the nearest existing tags or codes
 * ("--tag validaton matches no scenario (nearest: validation)"), or that
 * the filters only together exclude everything, or that the suite is
 * empty, or the shard is. Written into buf (always NUL-terminated). */
void plan_explain_empty(const struct suite *s, const struct plan_options *o, const char *suite_dir,
                        char *buf, size_t size);

/* Parses "I/N" (1 <= I <= N). 0 or -1. */
int plan_parse_shard(const char *s, int *index, int *count);

/* The reason a requirement is not met, or NULL when it is. Static. */
const char *plan_unmet(const char *requirement, const struct plan_options *o);

#endif
