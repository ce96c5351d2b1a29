/*
 * The simulator's back end of the peripheral contract (dmabuf/peripheral.h):
 * the camera, scan-out display and SPI panel of a simulated board, driving
 * the peripheral models of peripherals.h. Host only.
 *
 * DOC: virtual time and waits
 *
 * The models run on virtual time, which moves only when someone runs it. The
 * back end installs a wait hook on the fence pool (dmabuf_fence_wait_hook_fn):
 * a thread waiting on any fence of the pool, a peripheral's or one a
 * reservation waits on implicitly, runs virtual time (sim_peripherals_wait)
 * until that fence signals. Waiting is thus what moves time, on the waiting
 * thread: a program gives the same pictures every run, and no free-running
 * thread races the CPU's cache work. A fence nothing simulated can signal
 * (signalled by another thread) falls back to the ordinary blocking wait;
 * a finite timeout is virtual time.
 *
 * Which peripherals a board has, which DMA master each uses, what it takes
 * and how fast it moves bytes is this back end's table, per board name (the
 * demo boards); other boards have none.
 *
 * Threading: none, like the simulator.
 */
#ifndef DMABUF_SIM_PERIPHERAL_SIM_H
#define DMABUF_SIM_PERIPHERAL_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/peripheral.h"
#include "peripherals.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_board_peripherals;

/*
 * Register the simulated peripherals of @peripherals' board in a registry of
 * their own (report: @report, @report_user) and install the wait hook on
 * @peripherals' fence pool. The camera pictures use @scene_seed
 * (sim_camera_config.seed) unless sim_board_peripherals_set_scene changes it
 * before the camera is configured.
 * @retval 0 and *out set (a board without peripherals has an empty
 *         registry); -EINVAL NULL; -ENOMEM.
 */
int sim_board_peripherals_create(struct sim_peripherals *peripherals, dmabuf_report_fn report, void *report_user,
				 uint64_t scene_seed, struct sim_board_peripherals **out);

/* Free (the models themselves go with sim_peripherals_destroy), removing
 * the wait hook if @unhook: false only when the fence pool is gone already.
 * NULL is a no-op. */
void sim_board_peripherals_destroy(struct sim_board_peripherals *board, bool unhook);

/* The registry to find the peripherals in. */
struct dmabuf_peripheral_registry *sim_board_peripherals_registry(struct sim_board_peripherals *board);

/* The seed of the pictures the camera sees from its next configure on. */
void sim_board_peripherals_set_scene(struct sim_board_peripherals *board, uint64_t seed);

/*
 * The pixel formats (1u << format, RGB565 in either byte order) the display
 * takes from now on, instead of RGB565 high byte first only: what a board
 * whose display controller reads another byte order states (the STM32 LTDC
 * reads RGB565 low byte first), so that programs can be tested against it.
 * Before the display is configured. @retval 0; -EINVAL no display, no
 * format or another one; -EBUSY the display is configured already.
 */
int sim_board_peripherals_set_display_formats(struct sim_board_peripherals *board, uint32_t formats);

/*
 * The same for the camera, whose frames are then written in the byte order
 * it is configured for (peripherals.h, DOC: frames): what an ESP32-P4 board
 * states (its ISP writes RGB565 low byte first).
 */
int sim_board_peripherals_set_camera_formats(struct sim_board_peripherals *board, uint32_t formats);

/*
 * From now on the camera delivers frames of @width x @height only
 * (dmabuf_peripheral.fixed_size; any other size is -EDOM at configure), as
 * an ESP32 camera controller does. Before the camera is configured.
 * @retval 0; -EINVAL no camera, a zero size or one above the models';
 * -EBUSY the camera is configured already.
 */
int sim_board_peripherals_set_camera_size(struct sim_board_peripherals *board, uint32_t width, uint32_t height);

/* The models behind configured peripherals, for reading what the panels
 * show; NULL if @peripheral is not of that kind or not configured. */
const struct sim_display *sim_peripheral_display(const struct dmabuf_peripheral *peripheral);
const struct sim_spi_panel *sim_peripheral_spi_panel(const struct dmabuf_peripheral *peripheral);
const struct sim_camera *sim_peripheral_camera(const struct dmabuf_peripheral *peripheral);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_SIM_PERIPHERAL_SIM_H */
