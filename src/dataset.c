#include "salesmgmt/dataset.h"
int smg_dataset_load(smg_org *org, const char *dir) { (void)org; (void)dir; return SMG_EIO; }
