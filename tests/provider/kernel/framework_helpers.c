// SPDX-License-Identifier: Apache-2.0
/* Fake cache coherency providers driving the generic framework. */
#include <linux/cache_coherency.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/memregion.h>
#include <linux/slab.h>

#include "kernel_helpers.h"

#define MAX_FAKES 8
#define MAX_CALLS 64

struct fake_provider {
	struct cache_coherency_ops_inst inst;
	int id;
	int wbinv_ret;
	int done_ret;
	unsigned long wbinv_sleep_us;
};

static struct fake_provider *fakes[MAX_FAKES];
static int nfakes;
static int calls[MAX_CALLS];
static size_t ncalls;
static u64 last_addr, last_size;

static void note(int v)
{
	if (ncalls < MAX_CALLS)
		calls[ncalls++] = v;
}

static int fake_wbinv(struct cache_coherency_ops_inst *inst,
		      struct cc_inval_params *invp)
{
	struct fake_provider *f =
		container_of(inst, struct fake_provider, inst);

	note(f->id * 10 + 1);
	last_addr = invp->addr;
	last_size = invp->size;
	if (f->wbinv_sleep_us)
		usleep_range(f->wbinv_sleep_us, f->wbinv_sleep_us);
	return f->wbinv_ret;
}

static int fake_done(struct cache_coherency_ops_inst *inst)
{
	struct fake_provider *f =
		container_of(inst, struct fake_provider, inst);

	note(f->id * 10 + 2);
	return f->done_ret;
}

static const struct cache_coherency_ops ops_with_done = {
	.wbinv = fake_wbinv,
	.done = fake_done,
};

static const struct cache_coherency_ops ops_without_done = {
	.wbinv = fake_wbinv,
};

int kh_fake_new(int id, int wbinv_ret, bool has_done, int done_ret,
		unsigned long wbinv_sleep_us)
{
	struct fake_provider *f;

	if (nfakes == MAX_FAKES)
		return -1;
	f = cache_coherency_ops_instance_alloc(has_done ? &ops_with_done
							: &ops_without_done,
					       struct fake_provider, inst);
	if (!f)
		return -1;
	f->id = id;
	f->wbinv_ret = wbinv_ret;
	f->done_ret = done_ret;
	f->wbinv_sleep_us = wbinv_sleep_us;
	fakes[nfakes] = f;
	return nfakes++;
}

int kh_fake_register(int h)
{
	return cache_coherency_ops_instance_register(&fakes[h]->inst);
}

void kh_fake_unregister(int h)
{
	cache_coherency_ops_instance_unregister(&fakes[h]->inst);
}

void kh_fake_get(int h)
{
	kref_get(&fakes[h]->inst.kref);
}

void kh_fake_put(int h)
{
	cache_coherency_ops_instance_put(&fakes[h]->inst);
}

unsigned kh_fake_refcount(int h)
{
	return kref_read(&fakes[h]->inst.kref);
}

bool kh_alloc_rejects_null_ops(void)
{
	return !_cache_coherency_ops_instance_alloc(NULL, 64);
}

bool kh_alloc_rejects_null_wbinv(void)
{
	static const struct cache_coherency_ops no_wbinv = {.done = fake_done};

	return !_cache_coherency_ops_instance_alloc(&no_wbinv, 64);
}

bool kh_alloc_macro_zeroes_and_inits(void)
{
	struct fake_provider *f;
	bool ok;

	f = cache_coherency_ops_instance_alloc(&ops_without_done,
					       struct fake_provider, inst);
	if (!f)
		return false;
	ok = f->inst.ops == &ops_without_done && list_empty(&f->inst.node) &&
	     kref_read(&f->inst.kref) == 1 && f->id == 0 && f->wbinv_ret == 0;
	cache_coherency_ops_instance_put(&f->inst);
	return ok;
}

size_t kh_calls_count(void)
{
	return ncalls;
}

int kh_calls_get(size_t i)
{
	return calls[i];
}

uint64_t kh_last_addr(void)
{
	return last_addr;
}

uint64_t kh_last_size(void)
{
	return last_size;
}

int kh_invalidate(uint64_t start, size_t len)
{
	return cpu_cache_invalidate_memregion(start, len);
}

int kh_invalidate_all(void)
{
	return cpu_cache_invalidate_all();
}

bool kh_has_invalidate(void)
{
	return cpu_cache_has_invalidate_memregion();
}
