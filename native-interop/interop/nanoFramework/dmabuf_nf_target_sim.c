/*
 * The firmware's part of dmabuf_nf_target.h for a nanoCLR whose board memory
 * is the host simulator (native-interop/sim): nf-interpreter's posix nanoCLR
 * built with DMABUF_NF_SIMULATED_BOARD (FindINTEROP-nanoFramework.DmaBuf.cmake).
 * A real board gets these from firmware/nf-interpreter/dmabuf_nf_target.cpp.
 *
 * On the first call it makes the one context over a simulated
 * stm32f769i-disco as the host P/Invoke library does (dmabuf_host.c): the
 * write-back cache model through dmabuf_cache_host_sim, checker on, 64
 * buffers, 128 attachments, 64 fences on one timeline, reservations for 64
 * buffers with a 10 s implicit-sync timeout. Its peripherals are the
 * simulator's board set (peripheral_sim.h), made on the first open like the
 * host's one set per heap: same models, same scene seed, so a camera frame is
 * the same picture on host .NET and here. Making the set installs the fence
 * pool's wait hook, which dmabuf_nf_wait calls before parking a managed
 * thread: virtual time then runs on the waiting thread, deterministically.
 * DMABUF_SIM_PICTURES=<folder> makes the display and SPI panel write what
 * they show there, as the host library does (peripherals.h, DOC: pictures).
 */
#include <stdint.h>
#include <stdlib.h>

#include "dmabuf/board.h"
#include "dmabuf_nf_target.h"
#include "peripheral_sim.h"
#include "peripherals.h"
#include "sim.h"

#define SIM_TARGET_BOARD "stm32f769i-disco"
#define SIM_TARGET_SEED 0x444d41427566ull
#define SIM_TARGET_MAX_BUFFERS 64u
#define SIM_TARGET_MAX_ATTACHMENTS 128u
#define SIM_TARGET_MAX_FENCES 64u
#define SIM_TARGET_IMPLICIT_TIMEOUT_US 10000000u
/* The pictures the simulated camera sees: the host's default scene. */
#define SIM_TARGET_SCENE_SEED 1ull

static struct sim_soc *soc;
static struct sim_cache_backend cache;
static struct dmabuf_ctx *ctx;
static const struct dmabuf_board *board;
static struct dmabuf_fence_pool *fences;
static struct dmabuf_resv_table *resv;
static uint32_t timeline;
static struct sim_peripherals *peripherals;
static struct sim_board_peripherals *board_peripherals;
static int failed;

static void *alloc8(size_t size)
{
	return aligned_alloc(8, (size + 7u) & ~(size_t)7u);
}

static void target_init(void)
{
	struct dmabuf_config config;
	struct dmabuf_ctx *c;
	void *storage;
	size_t size;

	board = dmabuf_board_find(SIM_TARGET_BOARD);
	if (!board || sim_create(board, SIM_TARGET_SEED, &soc))
		goto fail;
	sim_cache_backend_init(&cache, soc);
	config = (struct dmabuf_config){
		.board = board,
		.region_memory = sim_region_memory(soc),
		.cache = &dmabuf_cache_host_sim,
		.cache_priv = &cache,
		.max_buffers = SIM_TARGET_MAX_BUFFERS,
		.max_attachments = SIM_TARGET_MAX_ATTACHMENTS,
		.checker = true,
		.report = dmabuf_nf_report,
		.report_user = NULL,
	};
	size = dmabuf_storage_size(&config);
	if (!size || !(storage = alloc8(size)) || dmabuf_init(&c, storage, size, &config))
		goto fail;

	size = dmabuf_fence_pool_storage_size(SIM_TARGET_MAX_FENCES);
	if (!(storage = alloc8(size)) || dmabuf_fence_pool_init(&fences, storage, size, SIM_TARGET_MAX_FENCES))
		goto fail;
	dmabuf_fence_pool_set_report(fences, dmabuf_nf_report, NULL);
	timeline = dmabuf_fence_context_alloc(fences);

	size = dmabuf_resv_storage_size(SIM_TARGET_MAX_BUFFERS);
	if (!(storage = alloc8(size)) ||
	    dmabuf_resv_init(&resv, storage, size, c, fences, SIM_TARGET_IMPLICIT_TIMEOUT_US))
		goto fail;
	ctx = c;
	return;
fail:
	failed = 1; /* the process is short-lived: leave what was made */
}

struct dmabuf_ctx *dmabuf_nf_context(void)
{
	if (!ctx && !failed)
		target_init();
	return ctx;
}

const struct dmabuf_board *dmabuf_nf_board(void)
{
	return ctx ? board : NULL;
}

struct dmabuf_fence_pool *dmabuf_nf_fences(void)
{
	return ctx ? fences : NULL;
}

struct dmabuf_resv_table *dmabuf_nf_resv(void)
{
	return ctx ? resv : NULL;
}

uint32_t dmabuf_nf_fence_timeline(void)
{
	return timeline;
}

struct dmabuf_peripheral_registry *dmabuf_nf_peripherals(void)
{
	if (!ctx)
		return NULL;
	/* Made once and kept for the process, as the context is: a soft reboot
	 * keeps the context, so it keeps the peripherals that run on its SoC. */
	if (!board_peripherals) {
		if (!peripherals && (sim_peripherals_create(soc, fences, &peripherals) ||
				     sim_peripherals_pictures_from_environment(peripherals)))
			return NULL;
		if (sim_board_peripherals_create(peripherals, dmabuf_nf_report, NULL, SIM_TARGET_SCENE_SEED,
						 &board_peripherals))
			return NULL;
	}
	return sim_board_peripherals_registry(board_peripherals);
}
