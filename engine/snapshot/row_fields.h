// The fields of the graph's row structs (engine/graph/typed_graph.h), one list per struct: the
// snapshot writer copies them into zeroed rows (no padding bytes from memory), the reader checks
// their values, the layout fingerprint covers their offsets, and snapshot_test checks that each
// list names as many fields as its struct has. A field added to a row must be added here.
#ifndef COALITION_ENGINE_SNAPSHOT_ROW_FIELDS_H_
#define COALITION_ENGINE_SNAPSHOT_ROW_FIELDS_H_

#include "engine/graph/typed_graph.h"

namespace coalition::snapshot::internal {


template <typename F>
void Fields(const graph::NationRow& r, F&& f) {
  f(r.partner_category);
  f(r.supply_risk);
}
template <typename F>
void Fields(const graph::GroupRow& r, F&& f) {
  f(r.shares_information);
  f(r.itar_exempt);
}
template <typename F>
void Fields(const graph::PlatformRow& r, F&& f) {
  f(r.domain);
  f(r.tier);
  f(r.sourcing);
  f(r.unit_cost_musd);
  f(r.gateway_begin);
  f(r.gateway_end);
}
template <typename F>
void Fields(const graph::LinkRow& r, F&& f) {
  f(r.kind);
  f(r.export_control);
  f(r.voice_capable);
  f(r.retrofit_cost_musd);
}
template <typename F>
void Fields(const graph::StandardRow& r, F&& f) {
  f(r.family);
  f(r.version);
  f(r.upgrade_cost_musd);
}
template <typename F>
void Fields(const graph::ComponentRow& r, F&& f) {
  f(r.kind);
  f(r.export_control);
  f(r.stock_months);
}
template <typename F>
void Fields(const graph::GatewayRow& r, F&& f) {
  f(r.standard_a);
  f(r.standard_b);
  f(r.level_cap);
}
template <typename F>
void Fields(const graph::RestrictionRow& r, F&& f) {
  f(r.supplier);
  f(r.supplier_nation);
  f(r.denied_begin);
  f(r.denied_end);
}


}  // namespace coalition::snapshot::internal

#endif  // COALITION_ENGINE_SNAPSHOT_ROW_FIELDS_H_
