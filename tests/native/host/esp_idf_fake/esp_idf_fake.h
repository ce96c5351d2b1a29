/*
 * The few ESP-IDF v5.5 types and functions the ESP peripheral bindings
 * (firmware/adapters/esp) call, declared by us so that the host suite
 * adapters_esp can compile the bindings and play ESP-IDF's side
 * (adapters_esp_test.c defines the functions). Signatures and member names
 * follow ESP-IDF's headers (esp_lcd: esp_lcd_types.h, esp_lcd_panel_io.h,
 * esp_lcd_panel_ops.h, esp_lcd_mipi_dsi.h; esp_driver_cam: esp_cam_ctlr.h,
 * esp_cam_ctlr_types.h); only what the bindings use is here. The headers
 * next to this one carry ESP-IDF's file names and include this one.
 * Test-only: never on a firmware build's include path.
 */
#ifndef DMABUF_TEST_ESP_IDF_FAKE_H
#define DMABUF_TEST_ESP_IDF_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* esp_attr.h: the callbacks' placement in IRAM means nothing on the host. */
#define IRAM_ATTR

/* esp_err.h */
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_FAIL (-1)
#define ESP_ERR_INVALID_ARG 0x102
#define ESP_ERR_INVALID_STATE 0x103

/* esp_lcd_types.h, esp_lcd_panel_io.h */
typedef struct esp_lcd_panel_io_t *esp_lcd_panel_io_handle_t;
typedef struct esp_lcd_panel_t *esp_lcd_panel_handle_t;
typedef struct {
	int unused;
} esp_lcd_panel_io_event_data_t;
typedef bool (*esp_lcd_panel_io_color_trans_done_cb_t)(esp_lcd_panel_io_handle_t panel_io,
						       esp_lcd_panel_io_event_data_t *edata, void *user_ctx);
typedef struct {
	esp_lcd_panel_io_color_trans_done_cb_t on_color_trans_done;
} esp_lcd_panel_io_callbacks_t;
esp_err_t esp_lcd_panel_io_tx_param(esp_lcd_panel_io_handle_t io, int lcd_cmd, const void *param, size_t param_size);
esp_err_t esp_lcd_panel_io_tx_color(esp_lcd_panel_io_handle_t io, int lcd_cmd, const void *color, size_t color_size);
esp_err_t esp_lcd_panel_io_register_event_callbacks(esp_lcd_panel_io_handle_t io,
						    const esp_lcd_panel_io_callbacks_t *cbs, void *user_ctx);

/* esp_lcd_panel_ops.h */
esp_err_t esp_lcd_panel_draw_bitmap(esp_lcd_panel_handle_t panel, int x_start, int y_start, int x_end, int y_end,
				    const void *color_data);

/* esp_lcd_mipi_dsi.h */
typedef struct {
	int unused;
} esp_lcd_dpi_panel_event_data_t;
typedef bool (*esp_lcd_dpi_panel_general_cb_t)(esp_lcd_panel_handle_t panel, esp_lcd_dpi_panel_event_data_t *edata,
					       void *user_ctx);
typedef struct {
	esp_lcd_dpi_panel_general_cb_t on_color_trans_done;
	esp_lcd_dpi_panel_general_cb_t on_refresh_done;
} esp_lcd_dpi_panel_event_callbacks_t;
esp_err_t esp_lcd_dpi_panel_get_frame_buffer(esp_lcd_panel_handle_t dpi_panel, uint32_t fb_num, void **fb0, ...);
esp_err_t esp_lcd_dpi_panel_register_event_callbacks(esp_lcd_panel_handle_t dpi_panel,
						     const esp_lcd_dpi_panel_event_callbacks_t *cbs, void *user_ctx);

/* esp_cam_ctlr_types.h, esp_cam_ctlr.h */
typedef struct esp_cam_ctlr_t *esp_cam_ctlr_handle_t;
typedef struct {
	void *buffer;
	size_t buflen;
	size_t received_size;
} esp_cam_ctlr_trans_t;
typedef struct {
	bool (*on_get_new_trans)(esp_cam_ctlr_handle_t handle, esp_cam_ctlr_trans_t *trans, void *user_data);
	bool (*on_trans_finished)(esp_cam_ctlr_handle_t handle, esp_cam_ctlr_trans_t *trans, void *user_data);
} esp_cam_ctlr_evt_cbs_t;
esp_err_t esp_cam_ctlr_receive(esp_cam_ctlr_handle_t handle, esp_cam_ctlr_trans_t *trans, uint32_t timeout_ms);
esp_err_t esp_cam_ctlr_register_event_callbacks(esp_cam_ctlr_handle_t handle, const esp_cam_ctlr_evt_cbs_t *cbs,
						void *user_data);

#endif /* DMABUF_TEST_ESP_IDF_FAKE_H */
