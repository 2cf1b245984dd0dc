// SPDX-License-Identifier: Apache-2.0
// The ready platforms of configs/platforms/, built into the binary:
// `platform: default` (or `{from: default, ...}`) in a scenario names one of
// them, whatever folder the scenario is copied to.
#pragma once

#include <vector>

namespace cmosim::sim {

struct ReadyPlatform {
    const char *name;  // as a scenario names it
    const char *about; // one line for `cmosim platforms`
    const char *text;  // the YAML of configs/platforms/NAME.yaml
};

const std::vector<ReadyPlatform> &ready_platforms();
// The platform called `name`, or nullptr.
const ReadyPlatform *find_ready_platform(const char *name);

} // namespace cmosim::sim
