/*
 * Does the Cortex-M7 backend's cache maintenance, as the core decides it at
 * each hand-over, make the CPU's writes visible to a DMA master and the DMA
 * master's writes visible to the CPU? The pipelines of selftest.c cannot
 * tell: no DMA touches their buffers. Here the board's memory-to-memory DMA
 * engine (DMA2 on the DISCO, the board's "dma2" device, attached as such)
 * copies between a buffer in a cached region (SRAM1) and one in the
 * uncached region (SDRAM), so each check has one cache in the way:
 *
 *   dma-to-cpu  the CPU writes the cached buffer and reads it back (its
 *               lines now sit in the D-cache, holding what DMA will
 *               overwrite), the DMA copies a pattern from the uncached
 *               buffer over it (mapped FromDevice), the CPU opens it
 *               FromDevice (the invalidate) and compares every byte;
 *   cpu-to-dma  the CPU writes another pattern into the cached buffer in a
 *               ToDevice access (memory under it still holds the DMA's
 *               pattern: only the clean at the access's end can replace
 *               it), the buffer is mapped ToDevice, the DMA copies it into
 *               the uncached buffer, the CPU compares every byte.
 *
 * Each runs on a range below the board's whole-cache threshold, smaller
 * than the D-cache, so every line stays cached and an odd line, whole
 * unrolled passes and a remainder of pairs all take part (the per-line
 * path, DCCMVAU + DCCMVAC per STRD on the DISCO), and on a 320x240 RGB565
 * frame above it (the whole-cache path). Every hand-over goes through the
 * public API (export, attach, map, unmap, begin/end CPU access): the core
 * chooses the maintenance. Output: "coherency CHECK BYTES B (PATH, FROM ->
 * TO): PASS", or "FAIL at byte N (read 0xRR, expected 0xEE)", or "FAIL:
 * ERROR" when a step failed; a machine without such an engine (QEMU) says
 * the check was not run.
 */
#include <stdio.h>

#include "coherency.h"
#include "selftest_platform.h"

/* 263 lines of 32 B: an odd line, 8 passes of 16 pairs and 3 pairs; 8 KiB,
 * half the DISCO's D-cache. */
#define PER_LINE_BYTES (263u * 32u)
#define WHOLE_FRAME_BYTES (320u * 240u * 2u)
/* Every byte of each pattern differs from the same byte of the others. */
#define KEY_STALE 0xFFu /* what the CPU holds in its cache before the DMA writes */
#define KEY_DMA 0x3Cu   /* what the DMA writes into the cached buffer */
#define KEY_CPU 0xA5u   /* what the CPU writes for the DMA to read */
/* The compare's own check: a difference planted at this byte must be found. */
#define PLANTED_AT 37u

/* Byte @i of the pattern @key names. */
static uint8_t coherency_pattern(uint32_t i, uint8_t key)
{
	return (uint8_t)((i * 13u + (i >> 8) + 1u) ^ key);
}

/* Offset of the first of @bytes at @data that is not pattern @key, or @bytes
 * when all are. */
static uint32_t coherency_first_difference(const uint8_t *data, uint32_t bytes, uint8_t key)
{
	for (uint32_t i = 0; i < bytes; i++)
		if (data[i] != coherency_pattern(i, key))
			return i;
	return bytes;
}

static int write_pattern(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t bytes, uint8_t key)
{
	void *cpu;
	int err = dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu);
	if (err)
		return err;
	for (uint32_t i = 0; i < bytes; i++)
		((uint8_t *)cpu)[i] = coherency_pattern(i, key);
	return dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
}

struct difference {
	uint32_t at; /* the buffer's size when there is none */
	uint8_t seen;
};

/* Read @buffer in a FromDevice access (its lines stay in the D-cache). */
static int read_difference(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t bytes, uint8_t key,
			   struct difference *out)
{
	void *cpu;
	int err = dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu);
	if (err)
		return err;
	out->at = coherency_first_difference(cpu, bytes, key);
	out->seen = out->at < bytes ? ((const uint8_t *)cpu)[out->at] : 0;
	return dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
}

/* The DMA engine copies @from's buffer into @to's, mapped as a device
 * reading and a device writing them; one transfer per mapping segment. */
static int copy_by_dma(struct dmabuf_ctx *ctx, dmabuf_handle_t from, dmabuf_handle_t to)
{
	struct dmabuf_mapping source, destination;
	int err = dmabuf_map(ctx, from, DMABUF_TO_DEVICE, &source);
	if (err)
		return err;
	err = dmabuf_map(ctx, to, DMABUF_FROM_DEVICE, &destination);
	if (!err) {
		if (source.segment_count != destination.segment_count)
			err = DMABUF_EINVAL;
		for (uint32_t i = 0; !err && i < source.segment_count; i++) {
			dmabuf_addr_t a, b;
			uint32_t a_bytes, b_bytes;
			dmabuf_mapping_segment(&source, i, &a, &a_bytes);
			dmabuf_mapping_segment(&destination, i, &b, &b_bytes);
			err = a_bytes == b_bytes ? selftest_platform.dma_copy(a, b, a_bytes) : DMABUF_EINVAL;
		}
		int unmapped = dmabuf_unmap(ctx, to, &destination, DMABUF_FROM_DEVICE);
		if (!err)
			err = unmapped;
	}
	int unmapped = dmabuf_unmap(ctx, from, &source, DMABUF_TO_DEVICE);
	return err ? err : unmapped;
}

struct pair {
	uint32_t bytes;
	const char *path;    /* the maintenance the core should choose */
	const char *cached;  /* region names */
	const char *uncached;
};

static unsigned report(const struct pair *p, const char *check, bool to_cached, int err,
		       const struct difference *d, uint8_t key)
{
	printf("coherency %s %lu B (%s, %s -> %s): ", check, (unsigned long)p->bytes, p->path,
	       to_cached ? p->uncached : p->cached, to_cached ? p->cached : p->uncached);
	if (err) {
		printf("FAIL: %s\n", dmabuf_strerror(err));
		return 1;
	}
	if (d->at < p->bytes) {
		printf("FAIL at byte %lu (read 0x%02x, expected 0x%02x)\n", (unsigned long)d->at, d->seen,
		       coherency_pattern(d->at, key));
		return 1;
	}
	printf("PASS\n");
	return 0;
}

static const char *region_name(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t *flags)
{
	struct dmabuf_info info;
	if (dmabuf_get_info(ctx, buffer, &info) || info.region < 0)
		return NULL;
	*flags = selftest_platform.board->regions[info.region].flags;
	return selftest_platform.board->regions[info.region].name;
}

static unsigned check_size(struct dmabuf_ctx *ctx, int device, uint32_t bytes)
{
	struct pair p = { bytes, bytes < selftest_platform.board->whole_cache_threshold ? "per-line" : "whole-cache",
			  "?", "?" };
	dmabuf_handle_t cached = 0, uncached = 0, cached_dev = 0, uncached_dev = 0;
	struct difference d = { bytes, 0 };
	uint32_t cached_flags = 0, uncached_flags = DMABUF_REGION_CACHEABLE;
	unsigned failed = 0;
	int err = dmabuf_export(ctx, bytes, "coherency-cache", 0, &cached);
	if (!err) err = dmabuf_export(ctx, bytes, "coherency-dram", DMABUF_EXPORT_PREFER_UNCACHED, &uncached);
	if (!err) err = dmabuf_attach(ctx, cached, device, &cached_dev);
	if (!err) err = dmabuf_attach(ctx, uncached, device, &uncached_dev);
	if (!err) {
		p.cached = region_name(ctx, cached, &cached_flags);
		p.uncached = region_name(ctx, uncached, &uncached_flags);
	}
	/* Anywhere else the check would pass without testing anything. */
	if (!err && (!p.cached || !p.uncached || !(cached_flags & DMABUF_REGION_CACHEABLE) ||
		     (uncached_flags & DMABUF_REGION_CACHEABLE))) {
		printf("coherency %lu B: FAIL: buffers in %s and %s, not one cached and one uncached\n",
		       (unsigned long)bytes, p.cached ? p.cached : "?", p.uncached ? p.uncached : "?");
		failed = 1;
		goto out;
	}
	if (err) {
		printf("coherency %lu B: FAIL: set-up (a cached and an uncached buffer attached to %s): %s\n",
		       (unsigned long)bytes, selftest_platform.copy_device, dmabuf_strerror(err));
		failed = 1;
		goto out;
	}

	/* dma-to-cpu: the cached buffer's lines hold KEY_STALE when the DMA
	 * writes KEY_DMA under them. */
	err = write_pattern(ctx, uncached, bytes, KEY_DMA);
	if (!err) err = write_pattern(ctx, cached, bytes, KEY_STALE);
	if (!err) err = read_difference(ctx, cached, bytes, KEY_STALE, &d);
	if (!err && d.at < bytes) {
		/* its clean, then the invalidate before the read, lost it */
		printf("coherency %lu B: FAIL: the CPU read its own write back wrong at byte %lu\n",
		       (unsigned long)bytes, (unsigned long)d.at);
		failed = 1;
		goto out;
	}
	if (!err) err = copy_by_dma(ctx, uncached_dev, cached_dev);
	if (!err) err = read_difference(ctx, cached, bytes, KEY_DMA, &d);
	failed += report(&p, "dma-to-cpu", true, err, &d, KEY_DMA);
	if (err)
		goto out;

	/* cpu-to-dma: memory under the cached buffer holds KEY_DMA; the CPU's
	 * KEY_CPU reaches it only through the clean. */
	err = write_pattern(ctx, cached, bytes, KEY_CPU);
	if (!err) err = copy_by_dma(ctx, cached_dev, uncached_dev);
	if (!err) err = read_difference(ctx, uncached, bytes, KEY_CPU, &d);
	failed += report(&p, "cpu-to-dma", false, err, &d, KEY_CPU);
out:
	if (uncached_dev)
		(void)dmabuf_detach(ctx, uncached_dev);
	if (cached_dev)
		(void)dmabuf_detach(ctx, cached_dev);
	if (uncached)
		(void)dmabuf_put(ctx, uncached);
	if (cached)
		(void)dmabuf_put(ctx, cached);
	return failed;
}

/* The compare must find a difference planted in a copy of a pattern,
 * and none in the pattern itself; else no PASS above means anything. */
static unsigned check_compare(void)
{
	static uint8_t sample[64];
	for (uint32_t i = 0; i < sizeof(sample); i++)
		sample[i] = coherency_pattern(i, KEY_CPU);
	uint32_t clean = coherency_first_difference(sample, sizeof(sample), KEY_CPU);
	sample[PLANTED_AT] ^= 0x01u;
	uint32_t found = coherency_first_difference(sample, sizeof(sample), KEY_CPU);
	if (clean == sizeof(sample) && found == PLANTED_AT) {
		printf("coherency compare: planted difference at byte %u found\n", PLANTED_AT);
		return 0;
	}
	printf("coherency compare: FAIL: planted difference at byte %u reported at %lu (%lu with none)\n",
	       PLANTED_AT, (unsigned long)found, (unsigned long)clean);
	return 1;
}

unsigned coherency_check(struct dmabuf_ctx *ctx)
{
	unsigned failed = check_compare();
	if (!selftest_platform.dma_copy) {
		printf("no DMA2 on this machine: coherency check not run\n");
		return failed;
	}
	int device = dmabuf_device_find(ctx, selftest_platform.copy_device);
	if (device < 0) {
		printf("coherency: FAIL: no board device %s: %s\n", selftest_platform.copy_device,
		       dmabuf_strerror(device));
		return failed + 1;
	}
	failed += check_size(ctx, device, PER_LINE_BYTES);
	failed += check_size(ctx, device, WHOLE_FRAME_BYTES);
	return failed;
}
