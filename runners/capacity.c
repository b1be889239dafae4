/* runners/capacity.c -- see capacity.h. */
#include "capacity.h"

void capacity_init(struct capacity *c, const long *limits)
{
    int k;

    for (k = 0; k < SUITE_NQUOTAS; k++) {
        c->limit[k] = limits ? limits[k] : -1;
        c->used[k] = c->kept[k] = 0;
    }
}

int capacity_fits(const struct capacity *c, const int *need)
{
    int k;

    for (k = 0; k < SUITE_NQUOTAS; k++)
        if (need[k] && c->limit[k] >= 0 && c->used[k] + need[k] > c->limit[k])
            return 0;
    return 1;
}

int capacity_never_fits(const struct capacity *c, const int *need)
{
    int k;

    for (k = 0; k < SUITE_NQUOTAS; k++)
        if (need[k] && c->limit[k] >= 0 && c->kept[k] + need[k] > c->limit[k])
            return k;
    return -1;
}

void capacity_take(struct capacity *c, const int *need)
{
    int k;

    for (k = 0; k < SUITE_NQUOTAS; k++)
        c->used[k] += need[k];
}

void capacity_give(struct capacity *c, const int *need, const int *keep)
{
    int k;

    for (k = 0; k < SUITE_NQUOTAS; k++) {
        long back = need[k] - (keep ? keep[k] : 0);
        c->used[k] -= back;
        if (keep)
            c->kept[k] += keep[k];
    }
}
