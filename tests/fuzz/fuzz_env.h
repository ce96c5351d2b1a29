/*
 * The world the API sequence fuzzer runs the core in: a small board whose
 * regions and devices make every constraint reachable within a few calls,
 * static region memory, and recording stand-ins for everything the core
 * calls out to (cache backend, ownership hook, report sinks), each able to
 * fail on demand.
 *
 * The board (sizes are tiny on purpose: a handful of buffers exhausts them):
 *
 *   region  bus base    size  cache      line
 *   sram    0x20000000  4096  cacheable  32
 *   dtcm    0x10000000  1024  uncached   32
 *   nc      0x30000000  2048  uncached   16
 *   psram   0x60000000  8192  cacheable  64
 *
 *   device  windows                         align  max segment  max segs  coherent
 *   dma     sram, nc, psram                 4      65535        -         no
 *   gdma    sram, nc                        4      255          8         no
 *   snoop   everything                      1      0xFFFFFFFF   -         yes
 *   dma2    nc, psram                       4      65535        -         no
 *   wide    sram                            64     65535        -         no
 *   mdma    dtcm, sram                      4      65535        -         yes
 *   part    first half of psram             16     100          -         no
 *   upper   upper half of sram, nc          8      1000         3         yes
 *
 * "wide" needs more alignment than the sram line, so no region suits it but
 * a block that happens to be 64-aligned does; "part" and "upper" reach only
 * part of a region, so they reach some placed blocks and suit no region;
 * "snoop" and "mdma" are two coherent devices reaching the same cached
 * region (a clean owed to non-coherent devices must stay owed between them).
 *
 * Region memory outside the live buffers holds FUZZ_CANARY and is poisoned
 * for AddressSanitizer, so a core write outside a buffer shows as a changed
 * canary and a core or caller access through a CPU view that reaches
 * outside its buffer as an ASan report.
 */
#ifndef FUZZ_ENV_H
#define FUZZ_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"

enum { FUZZ_SRAM, FUZZ_DTCM, FUZZ_NC, FUZZ_PSRAM, FUZZ_REGION_COUNT };
enum { FUZZ_DEVICE_COUNT = 8 };

#define FUZZ_CANARY 0xA5u

extern const struct dmabuf_region_desc fuzz_regions[FUZZ_REGION_COUNT];
extern const struct dmabuf_device_desc fuzz_devices[FUZZ_DEVICE_COUNT];
extern void *const fuzz_region_memory[FUZZ_REGION_COUNT];

/* The board with a chosen whole-cache threshold. */
const struct dmabuf_board *fuzz_board(uint32_t whole_cache_threshold);

/* Bus address -> CPU address of the region holding [addr, addr + bytes), or
 * NULL (the fuzzer's own translation, independent of the core's). */
uint8_t *fuzz_bus_to_cpu(dmabuf_addr_t addr, uint32_t bytes);

/* ---- recording cache backend --------------------------------------------- */

enum fuzz_cache_kind { FUZZ_CLEAN = 1, FUZZ_INVALIDATE, FUZZ_CLEAN_ALL, FUZZ_CLEAN_INVALIDATE_ALL };

struct fuzz_cache_op {
	enum fuzz_cache_kind kind;
	uintptr_t addr; /* range ops only */
	size_t size;
	uint32_t line;
};

#define FUZZ_CACHE_LOG 4

struct fuzz_cache {
	struct fuzz_cache_op log[FUZZ_CACHE_LOG]; /* the ops of the current call */
	uint32_t count;
	int fail_next; /* returned by the next op (which then does nothing), then 0 */
};
extern struct fuzz_cache fuzz_cache;
extern const struct dmabuf_cache_ops fuzz_cache_ranges_only;
extern const struct dmabuf_cache_ops fuzz_cache_with_whole;

/* ---- recording ownership hook -------------------------------------------- */

struct fuzz_ownership_call {
	bool device_owned; /* else cpu_owned */
	uintptr_t cpu;
	size_t size;
};

#define FUZZ_OWNERSHIP_LOG 4

struct fuzz_ownership {
	struct fuzz_ownership_call log[FUZZ_OWNERSHIP_LOG];
	uint32_t count;
	int device_owned_result; /* what device_owned returns: must change nothing */
};
extern struct fuzz_ownership fuzz_ownership;
extern const struct dmabuf_ownership_ops fuzz_ownership_ops;

/* ---- report sinks ---------------------------------------------------------- */

/* Messages since the last fuzz_env_clear_logs, per sink: the context's, the
 * fence pool's, the queue's, and the fallback sink's (NULL and dead objects,
 * dmabuf_set_fallback_report). */
enum { FUZZ_SINK_CTX, FUZZ_SINK_POOL, FUZZ_SINK_QUEUE, FUZZ_SINK_FALLBACK, FUZZ_SINK_COUNT };
extern uint32_t fuzz_messages[FUZZ_SINK_COUNT];
extern char fuzz_last_message[200];
void fuzz_report(void *sink, const char *message);
extern int fuzz_sink_ids[FUZZ_SINK_COUNT]; /* user pointers naming each sink */

void fuzz_env_clear_logs(void);

/* ---- region memory ------------------------------------------------------- */

/* Canary and poison everything (start of a run: nothing is live). */
void fuzz_memory_reset(void);
/* A live buffer's bytes [cpu, cpu + size): addressable, free of the canary
 * requirement. Everything else: call fuzz_memory_free on it. */
void fuzz_memory_live(uint8_t *cpu, uint32_t size);
/* Storage that stopped being a buffer's: canary it again and poison it. */
void fuzz_memory_free(uint8_t *cpu, uint32_t size);
/* Make all region memory addressable (around calls that may move storage:
 * the core copies into blocks the fuzzer cannot know in advance), and
 * poison it all again (then fuzz_memory_live each live buffer). */
void fuzz_memory_unpoison_all(void);
void fuzz_memory_poison_all(void);
/* Every byte of [cpu, cpu + size) still holds FUZZ_CANARY (read past the
 * poison); else the offset of the first that does not, in *bad. */
bool fuzz_memory_intact(const uint8_t *cpu, uint32_t size, uint32_t *bad);

#endif /* FUZZ_ENV_H */
