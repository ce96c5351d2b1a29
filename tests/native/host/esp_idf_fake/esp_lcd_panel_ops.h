/* Test stand-in for ESP-IDF's esp_lcd_panel_ops.h: esp_idf_fake.h. */
#include "esp_idf_fake.h"
