# Cython API of fastlr: ``from fastlr cimport Schedule`` (see _engine_c.pxd).
# Every public fastlr schedule object is an instance of this type when the
# compiled engine is active (fastlr.BACKEND == "cython").
from fastlr._engine_c cimport Engine, fastlr_schedule_t
from fastlr._engine_c cimport Engine as Schedule
