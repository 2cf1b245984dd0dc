// SPDX-License-Identifier: Apache-2.0
// A random pointer chase: a single cycle through 2048 nodes of 40 bytes (so
// nodes straddle lines), visited in an order a fixed-seed shuffle sets, with a
// store into each node visited.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *next;
    uint64_t pad[3];
    uint64_t visits;
};

#define NODES 2048

static uint32_t rng = 12345;
static uint32_t next_rand(void) {
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

int main(void) {
    struct node *n = malloc(NODES * sizeof *n);
    uint32_t *order = malloc(NODES * sizeof *order);
    if (!n || !order)
        return 1;
    for (uint32_t i = 0; i < NODES; ++i)
        order[i] = i;
    for (uint32_t i = NODES - 1; i > 0; --i) {
        uint32_t j = next_rand() % (i + 1);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < NODES; ++i) {
        n[order[i]].next = &n[order[(i + 1) % NODES]];
        n[order[i]].visits = 0;
    }
    struct node *p = &n[order[0]];
    for (uint32_t k = 0; k < 3 * NODES; ++k) {
        p->visits++;
        p = p->next;
    }
    printf("%llu\n", (unsigned long long)p->visits);
    free(order);
    free(n);
    return 0;
}
