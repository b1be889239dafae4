/* runners/capacity.h -- leases against a deployment's quotas.
 *
 * A real account has room for two load balancers, not for eight parallel
 * scenarios that each create one. Before a scenario starts, the engine
 * leases what it and its fixtures hold while they live (the suite's
 * "holds"); a scenario whose lease cannot be had now waits while others
 * run, and its lease is given back when its teardown has finished on the
 * server (deletions confirmed). What a persistent fixture holds is charged
 * once and never given back: it stays on the account.
 *
 * A quota the profile does not give is unknown and not limited here: the
 * runner then assumes the account has room for --jobs scenarios at once.
 * Pure bookkeeping: no I/O. */
#ifndef CAPACITY_H
#define CAPACITY_H

#include "../suite/suite.h"

struct capacity {
    long limit[SUITE_NQUOTAS]; /* the profile's quota, or -1: unknown */
    long used[SUITE_NQUOTAS];  /* leased now, persistent charges included */
    long kept[SUITE_NQUOTAS];  /* of used: charged for good (persistent) */
};

/* limits: SUITE_NQUOTAS numbers, -1 unknown; or NULL: all unknown. */
void capacity_init(struct capacity *c, const long *limits);

/* 1 when need (SUITE_NQUOTAS counts) fits beside what is leased now. */
int capacity_fits(const struct capacity *c, const int *need);

/* The quota index for which need can never fit, even with nothing else
 * leased (what persistent fixtures keep is not given back), or -1. */
int capacity_never_fits(const struct capacity *c, const int *need);

void capacity_take(struct capacity *c, const int *need);
/* Gives back need, except keep (NULL: nothing kept), which stays charged. */
void capacity_give(struct capacity *c, const int *need, const int *keep);

#endif
