/*
 * The panels' pictures written natively (peripherals.h, DOC: pictures): a
 * raw RGB565 file per scanout / SPI transfer and a checksum line for each,
 * so two runtimes driving the same models can be compared byte for byte
 * without either one's managed code in between.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peripherals_internal.h"

#define PICTURES_ENV "DMABUF_SIM_PICTURES"
#define PICTURES_INDEX "pictures.txt"

/* Sets of one process that write pictures, numbered so that two of them
 * (the host opens one per heap) never write over each other's files. */
static uint32_t picture_sets;

int sim_peripherals_write_pictures(struct sim_peripherals *peripherals, const char *folder)
{
	if (!peripherals) {
		sim_report("sim_peripherals_write_pictures: needs peripherals");
		return DMABUF_EINVAL;
	}
	char *copy = NULL;
	if (folder) {
		copy = malloc(strlen(folder) + 1u);
		if (!copy)
			return DMABUF_ENOMEM;
		strcpy(copy, folder);
	}
	free(peripherals->picture_folder);
	peripherals->picture_folder = copy;
	if (copy)
		peripherals->picture_set = __atomic_fetch_add(&picture_sets, 1u, __ATOMIC_RELAXED);
	return 0;
}

int sim_peripherals_pictures_from_environment(struct sim_peripherals *peripherals)
{
	const char *folder = getenv(PICTURES_ENV);
	if (!peripherals || !folder || !*folder)
		return peripherals ? 0 : DMABUF_EINVAL;
	return sim_peripherals_write_pictures(peripherals, folder);
}

static uint64_t fnv1a64(uint64_t hash, const uint8_t *data, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		hash ^= data[i];
		hash *= 0x100000001b3ull;
	}
	return hash;
}

void sim_picture_write(const struct sim_peripherals *peripherals, const char *panel, uint32_t sequence,
		       uint32_t width, uint32_t height, const uint8_t *rows, size_t stride)
{
	const char *folder = peripherals->picture_folder;
	if (!folder)
		return;
	size_t length = strlen(folder) + strlen(panel) + 40u;
	char *path = malloc(length);
	if (!path) {
		sim_report("sim_picture_write: no memory for the path of %s picture %u", panel, sequence);
		return;
	}
	snprintf(path, length, "%s/set%02u-%s-%06u.rgb565", folder, peripherals->picture_set, panel, sequence);
	FILE *file = fopen(path, "wb");
	size_t row_bytes = (size_t)width * SIM_PIXEL_BYTES;
	uint64_t hash = 0xcbf29ce484222325ull;
	int ok = file != NULL;
	for (uint32_t row = 0; ok && row < height; row++) {
		ok = fwrite(rows + row * stride, 1, row_bytes, file) == row_bytes;
		hash = fnv1a64(hash, rows + row * stride, row_bytes);
	}
	if (file && fclose(file) != 0)
		ok = 0;
	if (ok) {
		snprintf(path, length, "%s/%s", folder, PICTURES_INDEX);
		file = fopen(path, "a");
		ok = file && fprintf(file, "set%02u %s %06u %ux%u rgb565be fnv1a64 %016" PRIx64 "\n",
				     peripherals->picture_set, panel, sequence, width, height, hash) > 0;
		if (file && fclose(file) != 0)
			ok = 0;
	}
	if (!ok)
		sim_report("sim_picture_write: cannot write %s", path);
	free(path);
}
