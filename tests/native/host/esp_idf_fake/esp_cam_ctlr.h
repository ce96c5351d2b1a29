/* Test stand-in for ESP-IDF's esp_cam_ctlr.h: esp_idf_fake.h. */
#include "esp_idf_fake.h"
