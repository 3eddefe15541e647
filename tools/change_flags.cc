#include "tools/change_flags.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/base/status_macros.h"
#include "engine/model/load.h"
#include "coalition/v1/recommend.pb.h"
#include "engine/report/render_recommend.h"

namespace coalition::tools {
namespace {

namespace v1 = ::coalition::v1;
using graph::EntityKind;

using IsId = std::function<bool(const std::string&)>;

// Every way to cut `value` at ':' into parts.size() non-empty pieces that each satisfy their
// predicate.
std::vector<std::vector<std::string>> Readings(const std::string& value,
                                               const std::vector<IsId>& parts) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> cur;
  std::function<void(size_t, size_t)> go = [&](size_t start, size_t k) {
    if (k + 1 == parts.size()) {
      std::string last = value.substr(start);
      if (!last.empty() && parts[k](last)) {
        cur.push_back(last);
        out.push_back(cur);
        cur.pop_back();
      }
      return;
    }
    for (size_t i = value.find(':', start); i != std::string::npos; i = value.find(':', i + 1)) {
      std::string piece = value.substr(start, i - start);
      if (piece.empty() || !parts[k](piece)) continue;
      cur.push_back(piece);
      go(i + 1, k + 1);
      cur.pop_back();
    }
  };
  go(0, 0);
  return out;
}

absl::StatusOr<std::vector<std::string>> Split(const std::string& flag, const std::string& value,
                                               const std::vector<IsId>& parts,
                                               const std::string& shape) {
  std::vector<std::vector<std::string>> r = Readings(value, parts);
  if (r.size() == 1) return r[0];
  if (r.empty()) {
    if (value.find(':') == std::string::npos && parts.size() > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, " '", value, "': expected ", shape));
    }
    return absl::NotFoundError(absl::StrCat("--", flag, " '", value, "': no reading as ", shape,
                                            " names ids of the model"));
  }
  std::vector<std::string> readings;
  for (const auto& x : r) readings.push_back(absl::StrJoin(x, " | "));
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, " '", value, "' is ambiguous (", absl::StrJoin(readings, "; "),
      "): give the change in a --changes file instead"));
}

}  // namespace

absl::StatusOr<v1::WhatIf> CollectChanges(const Args& args, const graph::TypedGraph& g) {
  v1::WhatIf w;
  if (!args.changes.empty()) {
    SourceInfo source;
    absl::Status as_whatif = LoadMessage(args.changes, /*format_override=*/"", &w, &source);
    if (!as_whatif.ok()) {
      // A recommendation report is accepted too: its plan's changes, step order.
      v1::RecommendReport report;
      if (!LoadMessage(args.changes, /*format_override=*/"", &report, &source).ok()) {
        return as_whatif;
      }
      w = report::WhatIfOfPlan(report.plan());
    }
  }
  auto is = [&g](EntityKind k) -> IsId {
    return [&g, k](const std::string& id) { return g.Find(k, id).has_value(); };
  };
  const IsId nation = is(EntityKind::kNation), platform = is(EntityKind::kPlatform),
             link = is(EntityKind::kLink), standard = is(EntityKind::kStandard),
             group = is(EntityKind::kGroup);
  const IsId item = [&](const std::string& id) { return link(id) || standard(id); };
  const IsId party = [&](const std::string& id) { return nation(id) || group(id); };
  const IsId quantity = [](const std::string& s) {
    int64_t q = 0;
    return absl::SimpleAtoi(s, &q);
  };
  for (const std::string& v : args.embargo) w.add_changes()->mutable_embargo()->set_nation(v);
  for (const std::string& v : args.lift) {
    w.add_changes()->mutable_lift_restriction()->set_restriction(v);
  }
  for (const std::string& v : args.remove_supplier) {
    w.add_changes()->mutable_remove_supplier()->set_supplier(v);
  }
  for (const std::string& v : args.remove_element) {
    w.add_changes()->mutable_remove_element()->set_element(v);
  }
  for (const std::string& v : args.remove_platform) {
    w.add_changes()->mutable_remove_platform()->set_platform(v);
  }
  for (const std::string& v : args.release) {
    ASSIGN_OR_RETURN(auto p, Split("release", v, {item, party}, "LINK_OR_STANDARD:NATION_OR_GROUP"));
    if (link(p[0]) && standard(p[0])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--release '", v, "': '", p[0],
          "' is both a link and a standard: give the change in a --changes file instead"));
    }
    v1::Release* r = w.add_changes()->mutable_release();
    r->set_item_kind(link(p[0]) ? v1::Release::LINK : v1::Release::STANDARD);
    r->set_item(p[0]);
    r->set_party(p[1]);
  }
  for (const std::string& v : args.fit) {
    ASSIGN_OR_RETURN(auto p, Split("fit", v, {link, platform}, "LINK:PLATFORM"));
    v1::Fit* f = w.add_changes()->mutable_fit();
    f->set_link(p[0]);
    f->set_platform(p[1]);
  }
  for (const std::string& v : args.add_element) {
    ASSIGN_OR_RETURN(auto p, Split("add_element", v, {platform, nation, quantity},
                                   "PLATFORM:NATION:QUANTITY"));
    v1::AddElement* a = w.add_changes()->mutable_add_element();
    a->set_platform(p[0]);
    a->set_nation(p[1]);
    int64_t q = 0;
    (void)absl::SimpleAtoi(p[2], &q);
    a->set_quantity(q);
  }
  for (const std::string& v : args.upgrade) {
    ASSIGN_OR_RETURN(auto p, Split("upgrade", v, {platform, standard, standard},
                                   "PLATFORM:FROM_STANDARD:TO_STANDARD"));
    v1::Upgrade* u = w.add_changes()->mutable_upgrade();
    u->set_platform(p[0]);
    u->set_from_standard(p[1]);
    u->set_to_standard(p[2]);
  }
  for (const std::string& v : args.add_gateway) {
    ASSIGN_OR_RETURN(auto p, Split("add_gateway", v, {platform, nation}, "PLATFORM:NATION"));
    v1::AddGatewayElement* a = w.add_changes()->mutable_add_gateway_element();
    a->set_platform(p[0]);
    a->set_nation(p[1]);
  }
  for (const std::string& v : args.share) {
    ASSIGN_OR_RETURN(auto p, Split("share", v, {nation, nation}, "NATION:NATION"));
    v1::ShareInformation* s = w.add_changes()->mutable_share_information();
    s->set_nation_a(p[0]);
    s->set_nation_b(p[1]);
  }
  RETURN_IF_ERROR(CheckChangeBounds(w));
  return w;
}

absl::Status CheckChangeBounds(const v1::WhatIf& w) {
  // The model's bound on a force element's quantity (engine/model/validate.h) holds for added
  // elements too, so no what-if total can overflow (issue 16).
  constexpr int64_t kMaxQuantity = 1'000'000'000;
  for (int i = 0; i < w.changes_size(); ++i) {
    const v1::Change& c = w.changes(i);
    if (c.has_add_element() && c.add_element().quantity() > kMaxQuantity) {
      return absl::InvalidArgumentError(absl::StrCat(
          "changes[", i, "].add_element.quantity must be at most ", kMaxQuantity, ", is ",
          c.add_element().quantity()));
    }
  }
  return absl::OkStatus();
}

}  // namespace coalition::tools
