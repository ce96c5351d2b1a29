/*
 * The ESP32-P4-Function-EV-Board's frame peripherals, wired to the ESP
 * bindings (firmware/adapters/esp) under the names the nanoFramework demo
 * opens: "camera" (MIPI-CSI through the ISP, esp_camera.h), "display" (the
 * 7" 1024 x 600 MIPI-DSI panel as a DPI panel, esp_dpi_display.h) and
 * "spi-panel" (an ST7789 on SPI2, esp_spi_panel.h). dmabuf_firmware_init
 * calls dmabuf_firmware_board_peripherals once its fence pool exists, and
 * (DMABUF_NF_ESP_LCD) dmabuf_firmware_board_pools before it makes the
 * context: the ESP-IDF drivers are created then, and the DPI panel's two
 * frame buffers lent to DmaBuf as pools only the display and the camera
 * reach, the display nothing else (dmabuf_dpi_pools_esp_idf.h), so the
 * display's frames are placed in them and its presents flip; the
 * hook compiles this file for nf-interpreter ESP32_P4 builds with
 * DMABUF_NF_ESP_LCD and / or DMABUF_NF_ESP_CAM on, and registers what those
 * compiled (DMABUF_FIRMWARE_ESP_LCD, DMABUF_FIRMWARE_ESP_CAM in
 * dmabuf_firmware_config.h). It includes ESP-IDF's headers, so CI does not
 * compile it (stage 55 skips *_esp_idf.c); it was compiled for esp32p4
 * against ESP-IDF v5.5.4 outside CI (docs/FIRMWARE-BUILDS.md).
 *
 * Sources of the board's figures:
 *  [BSP]  Espressif's board support package, espressif/esp-bsp
 *         bsp/esp32_p4_function_ev_board/include/bsp/esp32_p4_function_ev_board.h
 *         (3043521b): I2C SCL GPIO 8, SDA GPIO 7 (shared by touch and the
 *         camera's SCCB); 1024 x 600 panel: backlight GPIO 26, reset GPIO 27;
 *         camera XCLK and reset not connected. .../bsp/display.h (0c5f93c6):
 *         MIPI-DSI 2 data lanes at 1000 Mbps; LDO_VO3 at 2500 mV feeds the
 *         MIPI D-PHY.
 *  [IDF]  ESP-IDF v5.5.4 (735507283d), examples/peripherals/camera:
 *         mipi_isp_dsi (for an SC2336, a RAW8 sensor without ISP: RAW8 over
 *         2 CSI lanes at 200 Mbps, the ISP turning RAW8 into RGB565, sensor
 *         mode "MIPI_2lane_24Minput_RAW8_1024x600_30fps", SCCB on GPIO 8 / 7,
 *         LDO channel 3 at 2500 mV) and common_components/dsi_init (the
 *         EK79007 panel's DPI timing: 48 MHz pixel clock, hsync 10 / back
 *         porch 120 / front porch 120, vsync 1 / 20 / 10).
 *  [UG]   Espressif's user guide of the board (docs.espressif.com,
 *         esp-dev-kits, ESP32-P4-Function-EV-Board v1.5.2): a 7" 1024 x 600
 *         touch screen and a 2 MP MIPI-CSI camera. That this camera is the
 *         SC2336 of [IDF] is our assumption, not checked against a board:
 *         another sensor needs its own mode and lane rate here.
 *  The SPI panel's pins are our choice: the board has no ST7789. GPIO 2
 *  (SCLK), 3 (MOSI), 4 (CS), 5 (D/C) are assigned by none of the [BSP]
 *  pins above and are not strapping pins (ESP-IDF's ESP32-P4 GPIO summary:
 *  GPIO 34-38); check them against the J1 header of your board revision
 *  before wiring a module to them.
 *
 * What this does not do (so, as it stands, no camera frame and no picture):
 *  - camera: the sensor is not set up over SCCB (that needs Espressif's
 *    esp_cam_sensor component, not part of ESP-IDF or nf-interpreter), so
 *    it streams nothing and no capture completes;
 *  - display: the EK79007's own init sequence over the DBI IO (Espressif's
 *    esp_lcd_ek79007 component) is not sent; the DPI stream runs, so
 *    presents and their refresh interrupts do complete;
 *  - nf-interpreter's ESP32 build adds neither esp_lcd nor esp_driver_cam /
 *    esp_driver_isp to its ESP-IDF components (CMake/binutils.ESP32.cmake,
 *    IDF_COMPONENTS_TO_ADD): a firmware with DMABUF_NF_ESP_LCD or _ESP_CAM
 *    needs them added there, or it does not link.
 * Formats: the camera and the display give RGB565 low byte first (how the
 * ISP writes and the DPI bridge reads halfwords); the SPI panel takes it
 * high byte first.
 */
#include "dmabuf_firmware_config.h"

#include <stdbool.h>

#include "driver/gpio.h"
#include "esp_ldo_regulator.h"

#include "dmabuf/errors.h"
#include "dmabuf_firmware.h"

#if defined(DMABUF_FIRMWARE_ESP_LCD)
#include "driver/spi_master.h"
#include "esp_lcd_io_spi.h"
#include "esp_lcd_mipi_dsi.h"
#include "esp_lcd_panel_ops.h"
#include "esp_lcd_panel_st7789.h"

#include "esp/esp_dpi_display.h"
#include "esp/esp_spi_panel.h"
#include "dmabuf_dpi_pools_esp_idf.h"
#endif
#if defined(DMABUF_FIRMWARE_ESP_CAM)
#include "driver/isp.h"
#include "esp_cam_ctlr.h"
#include "esp_cam_ctlr_csi.h"

#include "esp/esp_camera.h"
#endif

/* [BSP] [IDF]: the MIPI D-PHY's supply. */
#define EV_MIPI_PHY_LDO_CHANNEL 3
#define EV_MIPI_PHY_LDO_MV 2500

/* [BSP]: the 7" panel. */
#define EV_LCD_BACKLIGHT_GPIO 26
#define EV_LCD_RESET_GPIO 27
#define EV_LCD_WIDTH 1024u
#define EV_LCD_HEIGHT 600u
#define EV_DSI_LANES 2
#define EV_DSI_LANE_MBPS 1000
/* Three frame buffers of the driver (its most, num_fbs): DmaBuf's memory
 * (dmabuf_firmware_board_pools), so the frames a program attaches to the
 * display are placed in them and presents flip. Three because the pipeline
 * demo's frame queue holds three frames (Pipeline.FrameCount), each shown in
 * turn: with two, the third frame would find no memory the display reaches.
 * 3 x 1.2 MB of the board's 32 MB PSRAM. */
#define EV_DPI_FRAME_BUFFERS 3u
#define EV_DPI_FRAME_BYTES (EV_LCD_WIDTH * EV_LCD_HEIGHT * 2u) /* RGB565 */

/* [IDF] [UG]: the SC2336 mode the camera is set for, and its CSI link. */
#define EV_CAMERA_WIDTH 1024u
#define EV_CAMERA_HEIGHT 600u
#define EV_CSI_LANES 2
#define EV_CSI_LANE_MBPS 200
#define EV_ISP_CLOCK_HZ (80u * 1000u * 1000u)

/* The ST7789 (our pins, see above), in landscape like the demo's panel. */
#define EV_SPI_SCLK_GPIO 2
#define EV_SPI_MOSI_GPIO 3
#define EV_SPI_CS_GPIO 4
#define EV_SPI_DC_GPIO 5
#define EV_SPI_CLOCK_HZ (40u * 1000u * 1000u)
#define EV_SPI_QUEUE 10
#define EV_PANEL_WIDTH 320u
#define EV_PANEL_HEIGHT 240u
/* GPSPI2's AHB-GDMA: word-aligned TX from internal memory (boards/esp32p4.c, "spi2"). */
#define EV_SPI_TX_ALIGN 4u

/* Done once per boot, each only after it succeeded (a failed init retries the rest). */
static bool created;
static bool described;
static bool registered;
#if defined(DMABUF_FIRMWARE_ESP_LCD)
static bool callbacks_in;
#endif
#if defined(DMABUF_FIRMWARE_ESP_CAM)
static bool camera_running;
#endif

static esp_err_t mipi_phy_power(void)
{
	static esp_ldo_channel_handle_t ldo;
	const esp_ldo_channel_config_t config = { .chan_id = EV_MIPI_PHY_LDO_CHANNEL, .voltage_mv = EV_MIPI_PHY_LDO_MV };
	return esp_ldo_acquire_channel(&config, &ldo);
}

#if defined(DMABUF_FIRMWARE_ESP_LCD)
static struct esp_dpi_display display;
static struct esp_spi_panel panel;

static esp_err_t display_create(void)
{
	/* Out of reset, backlight on. */
	const gpio_config_t pins = { .pin_bit_mask = (1ull << EV_LCD_BACKLIGHT_GPIO) | (1ull << EV_LCD_RESET_GPIO),
				     .mode = GPIO_MODE_OUTPUT };
	esp_err_t err = gpio_config(&pins);
	if (err == ESP_OK)
		err = gpio_set_level(EV_LCD_RESET_GPIO, 1);
	if (err == ESP_OK)
		err = gpio_set_level(EV_LCD_BACKLIGHT_GPIO, 1);
	esp_lcd_dsi_bus_handle_t bus = NULL;
	/* phy_clk_src 0: the driver's default PHY PLL reference, as [IDF] leaves it. */
	const esp_lcd_dsi_bus_config_t bus_config = { .bus_id = 0, .num_data_lanes = EV_DSI_LANES,
						      .lane_bit_rate_mbps = EV_DSI_LANE_MBPS };
	if (err == ESP_OK)
		err = esp_lcd_new_dsi_bus(&bus_config, &bus);
	/* The panel controller's command channel: where its init sequence would go. */
	esp_lcd_panel_io_handle_t commands = NULL;
	const esp_lcd_dbi_io_config_t dbi_config = { .virtual_channel = 0, .lcd_cmd_bits = 8, .lcd_param_bits = 8 };
	if (err == ESP_OK)
		err = esp_lcd_new_panel_io_dbi(bus, &dbi_config, &commands);
	const esp_lcd_dpi_panel_config_t dpi_config = {
		.virtual_channel = 0,
		.dpi_clk_src = MIPI_DSI_DPI_CLK_SRC_DEFAULT,
		.dpi_clock_freq_mhz = 48,
		.in_color_format = LCD_COLOR_FMT_RGB565,
		.num_fbs = EV_DPI_FRAME_BUFFERS,
		.video_timing = { .h_size = EV_LCD_WIDTH, .v_size = EV_LCD_HEIGHT,
				  .hsync_pulse_width = 10, .hsync_back_porch = 120, .hsync_front_porch = 120,
				  .vsync_pulse_width = 1, .vsync_back_porch = 20, .vsync_front_porch = 10 },
	};
	if (err == ESP_OK)
		err = esp_lcd_new_panel_dpi(bus, &dpi_config, &display.panel);
	if (err == ESP_OK)
		err = esp_lcd_panel_init(display.panel); /* starts the DPI stream */
	return err;
}

static esp_err_t spi_panel_create(void)
{
	const spi_bus_config_t bus_config = {
		.sclk_io_num = EV_SPI_SCLK_GPIO,
		.mosi_io_num = EV_SPI_MOSI_GPIO,
		.miso_io_num = -1,
		.quadwp_io_num = -1,
		.quadhd_io_num = -1,
		.max_transfer_sz = (int)(EV_PANEL_WIDTH * EV_PANEL_HEIGHT * 2u),
		/* No ESP_INTR_FLAG_IRAM: the completion runs fence code from flash
		 * (firmware/adapters/peripheral_job.h). */
		.intr_flags = 0,
	};
	esp_err_t err = spi_bus_initialize(SPI2_HOST, &bus_config, SPI_DMA_CH_AUTO);
	const esp_lcd_panel_io_spi_config_t io_config = {
		.cs_gpio_num = EV_SPI_CS_GPIO,
		.dc_gpio_num = EV_SPI_DC_GPIO,
		.spi_mode = 0,
		.pclk_hz = EV_SPI_CLOCK_HZ,
		.trans_queue_depth = EV_SPI_QUEUE,
		.lcd_cmd_bits = 8,
		.lcd_param_bits = 8,
	};
	if (err == ESP_OK)
		err = esp_lcd_new_panel_io_spi((esp_lcd_spi_bus_handle_t)SPI2_HOST, &io_config, &panel.io);
	/* ESP-IDF's own ST7789 driver sends the init sequence (SWRESET, SLPOUT,
	 * MADCTL, COLMOD 0x55) over the same IO; the binding then takes the IO's
	 * completion callback, which the driver does not use. */
	esp_lcd_panel_handle_t st7789 = NULL;
	const esp_lcd_panel_dev_config_t st7789_config = { .reset_gpio_num = -1,
							   .rgb_ele_order = LCD_RGB_ELEMENT_ORDER_RGB,
							   .bits_per_pixel = 16 };
	if (err == ESP_OK)
		err = esp_lcd_new_panel_st7789(panel.io, &st7789_config, &st7789);
	if (err == ESP_OK)
		err = esp_lcd_panel_reset(st7789);
	if (err == ESP_OK)
		err = esp_lcd_panel_init(st7789);
	if (err == ESP_OK)
		err = esp_lcd_panel_swap_xy(st7789, true); /* landscape: 320 x 240 */
	if (err == ESP_OK)
		err = esp_lcd_panel_disp_on_off(st7789, true);
	return err;
}
#endif

#if defined(DMABUF_FIRMWARE_ESP_CAM)
static struct esp_camera camera;

static esp_err_t camera_create(void)
{
	const esp_cam_ctlr_csi_config_t csi_config = {
		.ctlr_id = 0,
		.clk_src = MIPI_CSI_PHY_CLK_SRC_DEFAULT,
		.h_res = EV_CAMERA_WIDTH,
		.v_res = EV_CAMERA_HEIGHT,
		.data_lane_num = EV_CSI_LANES,
		.lane_bit_rate_mbps = EV_CSI_LANE_MBPS,
		.input_data_color_type = CAM_CTLR_COLOR_RAW8,
		.output_data_color_type = CAM_CTLR_COLOR_RGB565,
		.queue_items = DMABUF_ESP_CAM_SLOTS,
	};
	esp_err_t err = esp_cam_new_csi_ctlr(&csi_config, &camera.cam.controller);
	/* The sensor sends RAW8; the ISP makes the RGB565 the CSI bridge writes. */
	isp_proc_handle_t isp = NULL;
	const esp_isp_processor_cfg_t isp_config = {
		.clk_hz = EV_ISP_CLOCK_HZ,
		.input_data_source = ISP_INPUT_DATA_SOURCE_CSI,
		.input_data_color_type = ISP_COLOR_RAW8,
		.output_data_color_type = ISP_COLOR_RGB565,
		.h_res = EV_CAMERA_WIDTH,
		.v_res = EV_CAMERA_HEIGHT,
	};
	if (err == ESP_OK)
		err = esp_isp_new_processor(&isp_config, &isp);
	if (err == ESP_OK)
		err = esp_isp_enable(isp);
	return err;
}

/* The controller accepts callbacks only while disabled: stopped and
 * disabled around the hand-over's (re)start, after a soft reboot too. */
static int camera_restart(struct dmabuf_fence_pool *fences)
{
	if (camera_running) {
		(void)esp_cam_ctlr_stop(camera.cam.controller);
		(void)esp_cam_ctlr_disable(camera.cam.controller);
		camera_running = false;
	}
	esp_camera_bind(&camera, fences);
	int err = esp_camera_start(&camera);
	if (!err && esp_cam_ctlr_enable(camera.cam.controller) != ESP_OK)
		err = DMABUF_EIO;
	if (!err && esp_cam_ctlr_start(camera.cam.controller) != ESP_OK) {
		(void)esp_cam_ctlr_disable(camera.cam.controller);
		err = DMABUF_EIO;
	}
	camera_running = err == 0;
	return err;
}
#endif

/* ESP-IDF drivers, once per boot: the bindings' handles. @retval 0; -EIO. */
static int create(void)
{
	esp_err_t err = mipi_phy_power();
#if defined(DMABUF_FIRMWARE_ESP_LCD)
	if (err == ESP_OK)
		err = display_create();
	if (err == ESP_OK)
		err = spi_panel_create();
#endif
#if defined(DMABUF_FIRMWARE_ESP_CAM)
	if (err == ESP_OK)
		err = camera_create();
#endif
	return err == ESP_OK ? 0 : DMABUF_EIO;
}

static void describe(void)
{
#if defined(DMABUF_FIRMWARE_ESP_LCD)
	esp_dpi_display_init(&display, "display", "mipi-dsi", DMABUF_PIXEL_RGB565_LE, EV_LCD_WIDTH, EV_LCD_HEIGHT);
	display.frame_buffers = EV_DPI_FRAME_BUFFERS;
	display.copy_counter = dmabuf_firmware_context; /* no DMA2D: the driver copies by CPU */
	esp_spi_panel_init(&panel, "spi-panel", "spi2", EV_PANEL_WIDTH, EV_PANEL_HEIGHT);
	panel.tx_align = EV_SPI_TX_ALIGN;
#endif
#if defined(DMABUF_FIRMWARE_ESP_CAM)
	esp_camera_init(&camera, "camera", "mipi-csi", 1u << DMABUF_PIXEL_RGB565_LE, EV_CAMERA_WIDTH, EV_CAMERA_HEIGHT);
#endif
}

/* A failed ESP-IDF driver stays failed (its handles are half made): init
 * then fails with -EIO every time. */
static int create_once(void)
{
	if (created)
		return 0;
	int err = create();
	created = err == 0;
	return err;
}

#if defined(DMABUF_FIRMWARE_BOARD_POOLS)
int dmabuf_firmware_board_pools(const struct dmabuf_board *board, struct dmabuf_pool *pools, uint32_t room,
				uint32_t *count)
{
	*count = 0;
	int err = create_once();
	if (!err && room < EV_DPI_FRAME_BUFFERS)
		err = DMABUF_ENOMEM;
	/* The L2 line: ESP-IDF's heap aligned the frame buffers on it (L1's, 64,
	 * is never larger). The display reaches only them; the camera too. */
	if (!err)
		err = dmabuf_esp_dpi_pools(display.panel, EV_DPI_FRAME_BUFFERS, EV_DPI_FRAME_BYTES,
					   CONFIG_CACHE_L2_CACHE_LINE_SIZE, board, "mipi-dsi", "mipi-csi", pools, NULL);
	if (!err)
		*count = EV_DPI_FRAME_BUFFERS;
	return err;
}
#endif

int dmabuf_firmware_board_peripherals(struct dmabuf_fence_pool *fences)
{
	int err = create_once();
	if (err)
		return err;
	if (!described) {
		describe();
		described = true;
	}
#if defined(DMABUF_FIRMWARE_ESP_LCD)
	/* After a soft reboot the pool is a new one: every job takes its fences
	 * from it. Bound before the callbacks are in, so no ISR sees a job
	 * without a pool. */
	esp_dpi_display_bind(&display, fences);
	esp_spi_panel_bind(&panel, fences);
	if (!callbacks_in) {
		err = esp_dpi_display_start(&display);
		if (!err)
			err = esp_spi_panel_start(&panel);
		callbacks_in = err == 0;
	}
#endif
#if defined(DMABUF_FIRMWARE_ESP_CAM)
	if (!err)
		err = camera_restart(fences);
#endif
	if (err || registered)
		return err;
#if defined(DMABUF_FIRMWARE_ESP_CAM)
	err = dmabuf_firmware_register_peripheral(&camera.peripheral);
#endif
#if defined(DMABUF_FIRMWARE_ESP_LCD)
	if (!err)
		err = dmabuf_firmware_register_peripheral(&display.peripheral);
	if (!err)
		err = dmabuf_firmware_register_peripheral(&panel.peripheral);
#endif
	registered = err == 0;
	return err;
}
