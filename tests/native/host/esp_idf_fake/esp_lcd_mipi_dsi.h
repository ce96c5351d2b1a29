/* Test stand-in for ESP-IDF's esp_lcd_mipi_dsi.h: esp_idf_fake.h. */
#include "esp_idf_fake.h"
