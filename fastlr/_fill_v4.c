/* float64 vector fills for x86-64-v4: see _fill_isa.h */
#define FL_ISA_TARGET "arch=x86-64-v4"
#define FL_FILL_NAME fl_fill_v4_f64
#define FL_FILL_SYMBOL "fl_fill_f64.arch_x86_64_v4"
#define FL_FILL_TYPE double
#define FL_F32_MATH 0
#include "_fill_isa.h"
