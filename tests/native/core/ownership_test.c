/*
 * Strict-ownership hook (dmabuf/ownership.h): the core tells it exactly when a
 * buffer passes to the devices (mapped, no CPU access open) and back, with the
 * whole padded storage and the buffer's name, and never lets it change what
 * the API returns.
 */
#include <string.h>

#include "fixture.h"

static struct {
	uint32_t device_owned;
	uint32_t cpu_owned;
	void *cpu;
	size_t size;
	const char *name;
	int fail_with;
} hook;

static int record_device_owned(void *priv, void *cpu, size_t size, const char *name)
{
	if (priv != &hook)
		unit_fail(__FILE__, __LINE__, "device_owned without the configured priv", 0, 0);
	hook.device_owned++;
	hook.cpu = cpu;
	hook.size = size;
	hook.name = name;
	return hook.fail_with;
}

static void record_cpu_owned(void *priv, void *cpu, size_t size)
{
	if (priv != &hook || cpu != hook.cpu || size != hook.size)
		unit_fail(__FILE__, __LINE__, "cpu_owned with another range than device_owned", (long long)size,
			  (long long)hook.size);
	hook.cpu_owned++;
}

static const struct dmabuf_ownership_ops recording = {
	.device_owned = record_device_owned,
	.cpu_owned = record_cpu_owned,
};

static uint64_t storage[4096];

/* A context over the fixture board with the recording hook. */
static struct dmabuf_ctx *init_with_hook(const struct dmabuf_ownership_ops *ops)
{
	struct dmabuf_ctx *ctx = fx_init(NULL); /* fills fx_config */
	if (!ctx)
		return NULL;
	fx_done(ctx);
	memset(&hook, 0, sizeof(hook));
	struct dmabuf_config config = fx_config;
	config.ownership = ops;
	config.ownership_priv = &hook;
	return dmabuf_init(&ctx, storage, sizeof(storage), &config) == 0 ? ctx : NULL;
}

/* The CPU address of @buffer's storage (through a CPU access). */
static uint8_t *storage_of(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	void *cpu = NULL;
	if (dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu) ||
	    dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE))
		return NULL;
	return cpu;
}

static void ownership_map_and_unmap_hand_over_the_padded_storage_by_name(void)
{
	struct dmabuf_ctx *ctx = init_with_hook(&recording);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buffer = fx_export(ctx, 1000, "cam", 0);
	dmabuf_handle_t attachment = fx_attach(ctx, buffer, FX_DMA);
	UNIT_CHECK_HELPER();
	uint8_t *cpu = storage_of(ctx, buffer);
	UNIT_ASSERT(cpu);
	UNIT_EQ(hook.device_owned + hook.cpu_owned, 0); /* never mapped yet */

	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(hook.device_owned, 1);
	UNIT_ASSERT(hook.cpu == cpu);
	UNIT_EQ(hook.size, 1024); /* 1000 bytes on 32-byte lines */
	UNIT_ASSERT(hook.name && strcmp(hook.name, "cam") == 0);
	UNIT_EQ(hook.cpu_owned, 0);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(hook.cpu_owned, 1);

	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
	UNIT_EQ(hook.device_owned, 1);
}

/* Two devices mapping at once: one hand-over out, one back, at the last unmap. */
static void ownership_concurrent_mappings_hand_over_once(void)
{
	struct dmabuf_ctx *ctx = init_with_hook(&recording);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buffer = fx_export(ctx, 4096, "frame", 0);
	dmabuf_handle_t a = fx_attach(ctx, buffer, FX_DMA);
	dmabuf_handle_t b = fx_attach(ctx, buffer, FX_GDMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map_a, map_b;
	UNIT_EQ(dmabuf_map(ctx, a, DMABUF_TO_DEVICE, &map_a), 0);
	UNIT_EQ(dmabuf_map(ctx, b, DMABUF_TO_DEVICE, &map_b), 0);
	UNIT_EQ(hook.device_owned, 1);
	UNIT_EQ(dmabuf_unmap(ctx, a, &map_a, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(hook.cpu_owned, 0);
	UNIT_EQ(dmabuf_unmap(ctx, b, &map_b, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(hook.cpu_owned, 1);
	UNIT_EQ(dmabuf_detach(ctx, a), 0);
	UNIT_EQ(dmabuf_detach(ctx, b), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
}

/* A CPU access allowed while a device only reads takes the buffer back for
 * its duration; failed calls hand nothing over. */
static void ownership_cpu_access_during_a_device_read_returns_the_buffer_for_the_window(void)
{
	struct dmabuf_ctx *ctx = init_with_hook(&recording);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buffer = fx_export(ctx, 4096, "frame", 0);
	dmabuf_handle_t attachment = fx_attach(ctx, buffer, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	void *cpu;
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 4096, 1, &cpu), DMABUF_ERANGE);
	UNIT_EQ(hook.cpu_owned, 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(hook.cpu_owned, 1);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EPERM);
	UNIT_EQ(hook.device_owned, 1);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(hook.device_owned, 2);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(hook.cpu_owned, 2);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
}

/* Strict mode is a debugging aid: a hook that cannot protect changes nothing
 * the API returns. */
static void ownership_failing_hook_changes_no_result(void)
{
	struct dmabuf_ctx *ctx = init_with_hook(&recording);
	UNIT_ASSERT(ctx);
	hook.fail_with = DMABUF_ENOMEM;
	dmabuf_handle_t buffer = fx_export(ctx, 256, "frame", 0);
	dmabuf_handle_t attachment = fx_attach(ctx, buffer, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(hook.device_owned, 1);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(hook.cpu_owned, 1);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
}

static void ownership_init_requires_both_members(void)
{
	const struct dmabuf_ownership_ops half = { .device_owned = record_device_owned };
	UNIT_ASSERT(init_with_hook(&half) == NULL);
	UNIT_ASSERT(fx_message_has("ownership"));
}

const struct unit_suite suite_core_ownership = UNIT_SUITE(core_ownership,
	UNIT_TEST(ownership_map_and_unmap_hand_over_the_padded_storage_by_name),
	UNIT_TEST(ownership_concurrent_mappings_hand_over_once),
	UNIT_TEST(ownership_cpu_access_during_a_device_read_returns_the_buffer_for_the_window),
	UNIT_TEST(ownership_failing_hook_changes_no_result),
	UNIT_TEST(ownership_init_requires_both_members));
