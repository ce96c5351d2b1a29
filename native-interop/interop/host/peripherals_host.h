/*
 * The flat C ABI of the simulated peripherals (native-interop/sim/
 * peripherals.h) for the managed host build (nanoFramework.DmaBuf.Simulation)
 * and the demos. Host only. Same shape as dmabuf_host.h: int32_t results (0
 * or a non-negative value where said, else a negative dmabuf_error),
 * integer arguments and caller arrays, no struct by value.
 *
 * Two kinds of id:
 *   - a heap id (dmabuf_host_heap_open): the SoC-wide controls of its
 *     simulator (virtual time, evictions, cache fault injection, counters);
 *   - a peripherals id (dmabuf_host_peripherals_open over a heap): a camera,
 *     displays and SPI panels on that heap's simulator, and the only way to
 *     run its virtual time while they exist.
 * Fences of peripheral jobs come from the heap's fence pool: every
 * dmabuf_host_fence_* call works on them.
 *
 * Threading: one thread at a time per heap, like the simulator itself.
 * A peripherals id must be closed before its heap: after the heap is closed
 * every call on it fails with -EBADF and close frees what it can.
 */
#ifndef DMABUF_PERIPHERALS_HOST_H
#define DMABUF_PERIPHERALS_HOST_H

#include <stdint.h>

#include "dmabuf_host.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Peripherals ids open at once, peripherals of each kind per id, and
 * requests per id whose fence the caller has not released yet. */
#define DMABUF_HOST_MAX_PERIPHERAL_SETS 16u
#define DMABUF_HOST_MAX_PERIPHERALS 4u
#define DMABUF_HOST_MAX_REQUESTS 32u

/* ---- the simulated SoC of a heap ------------------------------------------ */

/* Virtual time in nanoseconds. @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_sim_now(int32_t heap, int64_t *now_ns);

/* Probability (0..1) that a line is evicted in each random round (one after
 * every DMA segment). @retval 0; -EBADF; -EINVAL not a number. */
DMABUF_HOST_API int32_t dmabuf_host_sim_set_eviction_rate(int32_t heap, double rate);

/* Restart the eviction schedule from @seed. @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_sim_seed(int32_t heap, int64_t seed);

/* @drop 1: the cache backend silently skips every clean and invalidate from
 * now on (what forgetting every hand-over does); 0: performs them again.
 * @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_sim_drop_cache_operations(int32_t heap, int32_t drop);

/* The cache backend's counters: for clean_range, invalidate_range,
 * clean_all, clean_invalidate_all in turn: calls, lines, dropped calls
 * (12 values), then checks violated (13th), then the thread CPU time in ns
 * the backend spent modelling the cache (14th, sim_cache_backend.model_ns;
 * kept from the first dmabuf_host_peripherals_open on the heap, 0 before).
 * @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_sim_cache_counts(int32_t heap, int64_t *values, int32_t count);

/* The calling thread's CPU time in ns: the clock of the 14th cache count, for
 * a caller measuring its own time on the same clock. */
DMABUF_HOST_API int64_t dmabuf_host_sim_thread_cpu_ns(void);

/* struct sim_stats: evicted_lines, written_back_lines, capacity_evictions,
 * discarded_dirty_lines, dma_segments. @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_sim_stats(int32_t heap, int64_t *values, int32_t count);

/* Bytes [0, length) of camera frame @frame (sim_camera_pattern) of a
 * @width x @height sensor with @seed: the expected content, computed without
 * any simulator. @retval 0; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_camera_pattern(int32_t width, int32_t height, int64_t seed,
						   int32_t frame, uint8_t *out, int32_t length);

/* ---- peripherals ------------------------------------------------------------- */

/* @retval 0 and *peripherals set; -EBADF no such heap; -ENOMEM. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_open(int32_t heap, int32_t *peripherals);

/* Run virtual time until every request has completed (they all do within a
 * few frame periods), release the fences the caller still holds, free.
 * @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_close(int32_t peripherals);

/* sim_peripherals_run_until. @retval 0; -EBADF; -EINVAL negative time. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_run_until(int32_t peripherals, int64_t when_ns);

/* sim_peripherals_wait over @count heap fences, @timeout_ns of virtual time
 * (negative: no limit). @retval index of a signalled fence; -ETIMEDOUT;
 * -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_wait(int32_t peripherals, const int32_t *fences,
						     int32_t count, int64_t timeout_ns);

/* The request whose fence is @fence: sequence (frame / vsync / transfer
 * number), start_ns, end_ns (0 until done), fence status.
 * @retval 0; -ENOENT not a request of these peripherals held by the caller;
 * -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_request(int32_t peripherals, int32_t fence,
							int64_t *values, int32_t count);

/* Drop the caller's reference on request @fence and forget the request.
 * @retval 0; -ENOENT; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_peripherals_release(int32_t peripherals, int32_t fence);

/* config: width, height, seed, frame_period_ns, bytes_per_us.
 * @retval camera id > 0; -EINVAL; -ENOMEM; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_camera_create(int32_t peripherals, const int64_t *config, int32_t count);

/* Queue a capture into the 5-value mapping of dmabuf_host_map.
 * @retval fence > 0; as sim_camera_queue; -ENOMEM also no request slot. */
DMABUF_HOST_API int32_t dmabuf_host_camera_capture(int32_t peripherals, int32_t camera,
						   const int32_t *mapping, int32_t count);

/* captured, missed, queued. */
DMABUF_HOST_API int32_t dmabuf_host_camera_stats(int32_t peripherals, int32_t camera, int64_t *values,
						 int32_t count);

/* config: width, height, refresh_period_ns, bytes_per_us. @retval display id > 0. */
DMABUF_HOST_API int32_t dmabuf_host_display_create(int32_t peripherals, const int64_t *config, int32_t count);

/* sim_display_present. @retval fence > 0; -EBUSY; ... */
DMABUF_HOST_API int32_t dmabuf_host_display_present(int32_t peripherals, int32_t display,
						    const int32_t *mapping, int32_t count);

/* Copy what the panel shows (width * height * 2 bytes) into @out.
 * @retval 0; -EINVAL @length differs. */
DMABUF_HOST_API int32_t dmabuf_host_display_panel(int32_t peripherals, int32_t display, uint8_t *out,
						  int32_t length);

/* scanouts, late_vsyncs. */
DMABUF_HOST_API int32_t dmabuf_host_display_stats(int32_t peripherals, int32_t display, int64_t *values,
						  int32_t count);

/* config: ram_width, ram_height, glass_x, glass_y, glass_width,
 * glass_height, bytes_per_us. @retval panel id > 0. */
DMABUF_HOST_API int32_t dmabuf_host_spi_panel_create(int32_t peripherals, const int64_t *config, int32_t count);

/* sim_spi_panel_write; @window: x, y, width, height. @retval fence > 0. */
DMABUF_HOST_API int32_t dmabuf_host_spi_panel_write(int32_t peripherals, int32_t panel, const int32_t *mapping,
						    int32_t count, int32_t offset, int32_t stride,
						    const int32_t *window);

/* Copy what the glass shows (glass_width * glass_height * 2 bytes). */
DMABUF_HOST_API int32_t dmabuf_host_spi_panel_glass(int32_t peripherals, int32_t panel, uint8_t *out,
						    int32_t length);

/* transfers, dma_jobs, bytes. */
DMABUF_HOST_API int32_t dmabuf_host_spi_panel_stats(int32_t peripherals, int32_t panel, int64_t *values,
						    int32_t count);

/* ---- the board's peripherals (dmabuf/peripheral.h) --------------------------
 * What the public Camera, ScanoutDisplay and SpiPanel classes call: the
 * simulated board's peripherals behind the same contract as the firmware's.
 * Peripheral ids are per heap (1-based). Opening one opens the heap's
 * peripherals set as dmabuf_host_peripherals_open does (one set per heap,
 * shared with a SimulatedSoc), closing it closes that open. Their fences are
 * heap fences, the caller's reference; waiting on them runs virtual time
 * (native-interop/sim/peripheral_sim.h, DOC: virtual time and waits). */

/* Open the peripheral @name of @kind (enum dmabuf_peripheral_kind) on
 * @heap's board, configured for @width x @height of @format (SPI panel:
 * width and height 0). @retval id > 0; -ENOENT no such peripheral; -EDOM
 * the device cannot serve it; -EBUSY configured for another frame; -EBADF;
 * -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_open(int32_t heap, const char *name, int32_t kind, int32_t width,
						    int32_t height, int32_t format);

/* The formats (1u << format) the peripheral @name of @kind (0: any) on
 * @heap's board takes, without opening it. @retval the formats (> 0);
 * -ENOENT no such peripheral; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_formats(int32_t heap, const char *name, int32_t kind);

/* The largest frame of the peripheral @name on @heap's board (SPI panel: its
 * GRAM), without opening it, into @values: max_width, max_height, then 1 if
 * it serves that size only (dmabuf_peripheral.fixed_size), else 0.
 * @retval 0; -ENOENT no such peripheral; -EBADF; -EINVAL NULL, @count < DMABUF_VALUES_FRAME_SIZE. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_frame_size(int32_t heap, const char *name, int32_t *values,
							  int32_t count);

/* @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_close(int32_t heap, int32_t peripheral);

/* kind, formats, max_width, max_height, width, height, format, frame bytes.
 * @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_info(int32_t heap, int32_t peripheral, int32_t *values,
						    int32_t count);

/* The name of its DMA master, NUL-terminated. @retval its length; -ERANGE
 * @length too short; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_device(int32_t heap, int32_t peripheral, char *out, int32_t length);

/* dmabuf_camera_capture into the 5-value mapping. @retval fence > 0; as there. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_capture(int32_t heap, int32_t peripheral, const int32_t *mapping,
						       int32_t count);

/* dmabuf_display_present. @retval fence > 0; as there. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_present(int32_t heap, int32_t peripheral, const int32_t *mapping,
						       int32_t count);

/* dmabuf_spi_panel_write; @window: x, y, width, height. @retval fence > 0. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_write_rect(int32_t heap, int32_t peripheral, const int32_t *mapping,
							  int32_t count, int32_t offset, int32_t stride,
							  const int32_t *window);

/* dmabuf_spi_panel_command with @count bytes at @parameters. @retval fence > 0; as there. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_command(int32_t heap, int32_t peripheral, int32_t command,
						       const uint8_t *parameters, int32_t count);

/* dmabuf_peripheral_completion: sequence, start_us, timestamp_us. @retval 0; -ENOENT. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_completion(int32_t heap, int32_t peripheral, int32_t fence,
							  int64_t *values, int32_t count);

/* What a configured display's panel or SPI panel's glass shows (RGB565 high
 * byte first). @retval 0; -EINVAL @length differs, or not such a peripheral. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_read_glass(int32_t heap, int32_t peripheral, uint8_t *out,
							  int32_t length);

/* A configured board camera's captured, missed, queued (as
 * dmabuf_host_camera_stats). @retval 0; -EBADF; -EINVAL not a camera. */
DMABUF_HOST_API int32_t dmabuf_host_peripheral_camera_stats(int32_t heap, int32_t peripheral, int64_t *values,
							    int32_t count);

/* The seed of the pictures the board's camera sees from its configure on
 * (the scene in front of the lens). @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_sim_set_scene(int32_t peripherals, int64_t seed);

/* sim_board_peripherals_set_display_formats: the RGB565 byte orders the
 * board's display takes, before it is configured. @retval 0; -EBADF;
 * -EINVAL; -EBUSY. */
DMABUF_HOST_API int32_t dmabuf_host_sim_set_display_formats(int32_t peripherals, int32_t formats);

/* sim_board_peripherals_set_camera_formats: the same for the camera, whose
 * frames then come in the byte order it is opened for. @retval as above. */
DMABUF_HOST_API int32_t dmabuf_host_sim_set_camera_formats(int32_t peripherals, int32_t formats);

/* sim_board_peripherals_set_camera_size: the one frame size the board's
 * camera delivers, before it is configured. @retval 0; -EBADF; -EINVAL;
 * -EBUSY. */
DMABUF_HOST_API int32_t dmabuf_host_sim_set_camera_size(int32_t peripherals, int32_t width, int32_t height);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_PERIPHERALS_HOST_H */
