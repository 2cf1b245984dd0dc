// SPDX-License-Identifier: Apache-2.0
// The models' kinds that a scenario names (inclusion, cache maintenance
// operations, memory kinds, device operations), without SystemC, so that the
// loaded scenario (sim/config/scenario.h) holds them as they are: one enum per
// concept from the YAML to the model. Replacement policies are in tag_store.h.
#pragma once

#include <string>

namespace cmosim::models {

// Whether a level holds every line of the levels above it. An inclusive level
// that evicts a line first takes it out of every cache above (back-invalidation);
// a dirty copy above travels down with the victim. A non-inclusive level evicts
// on its own, and upper copies stay.
enum class Inclusion { NonInclusive, Inclusive };
const char *inclusion_name(Inclusion i);

// Cache maintenance operations: by VA to the PoC (DC CIVAC, CVAC, IVAC) and
// by set/way (DC CISW, CSW, ISW); each level counts the ones that looked it up.
enum class CmoOp : unsigned { DcCivac, DcCvac, DcIvac, DcCisw, DcCsw, DcIsw };
constexpr unsigned kCmoOps = 6;
const char *cmo_op_name(CmoOp op);
// The operation named `name` ("dc_civac", ...); false if there is none.
bool cmo_op_from_name(const std::string &name, CmoOp *op);
// What it does to a line: write back if dirty, invalidate.
constexpr bool cmo_cleans(CmoOp op) {
    return op != CmoOp::DcIvac && op != CmoOp::DcIsw;
}
constexpr bool cmo_invalidates(CmoOp op) {
    return op != CmoOp::DcCvac && op != CmoOp::DcCsw;
}
constexpr bool cmo_by_set_way(CmoOp op) {
    return op >= CmoOp::DcCisw;
}

enum class MemoryKind { Dram, CxlHdm };

// secure_erase: zeros or a pattern; reset: the device comes back (online) with
// its content lost; dcd_release: a dynamic-capacity extent is given back
// (offline); dcd_add: an extent is added (online, fresh content); offline: the
// range goes away (media or device failure). Reads of an offline range are
// checker events.
enum class DeviceOp { SecureErase, Reset, DcdRelease, DcdAdd, Offline };
const char *device_op_name(DeviceOp op);

} // namespace cmosim::models
