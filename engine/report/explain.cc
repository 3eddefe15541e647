#include "engine/report/explain.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace coalition::report {

namespace v1 = ::coalition::v1;

const char* LevelName(int level) {
  static const char* kNames[] = {"ISOLATED", "UNSTRUCTURED", "STRUCTURED", "SEAMLESS_DATA",
                                 "SEAMLESS_INFORMATION"};
  return level >= 0 && level <= 4 ? kNames[level] : "?";
}

std::string ChangeText(const v1::Change& c) {
  switch (c.change_case()) {
    case v1::Change::kEmbargo:
      return absl::StrCat("embargo ", c.embargo().nation());
    case v1::Change::kRemoveSupplier:
      return absl::StrCat("remove supplier ", c.remove_supplier().supplier());
    case v1::Change::kRemoveElement:
      return absl::StrCat("remove element ", c.remove_element().element());
    case v1::Change::kRemovePlatform:
      return absl::StrCat("remove platform ", c.remove_platform().platform());
    case v1::Change::kRelease:
      return absl::StrCat("release ", c.release().item(), " to ", c.release().party());
    case v1::Change::kFit:
      return absl::StrCat("fit ", c.fit().link(), " to ", c.fit().platform());
    case v1::Change::kAddElement: {
      const v1::AddElement& a = c.add_element();
      return absl::StrCat("add ", a.quantity(), " x ", a.platform(), " operated by ", a.nation(),
                          a.id().empty() ? "" : absl::StrCat(" as ", a.id()));
    }
    case v1::Change::kUpgrade:
      return absl::StrCat("upgrade ", c.upgrade().platform(), " from ", c.upgrade().from_standard(),
                          " to ", c.upgrade().to_standard());
    case v1::Change::kAddGatewayElement: {
      const v1::AddGatewayElement& a = c.add_gateway_element();
      return absl::StrCat("add a gateway ", a.platform(), " operated by ", a.nation(),
                          a.id().empty() ? "" : absl::StrCat(" as ", a.id()));
    }
    case v1::Change::kShareInformation:
      return absl::StrCat("share information between ", c.share_information().nation_a(), " and ",
                          c.share_information().nation_b());
    case v1::Change::kLiftRestriction:
      return absl::StrCat("lift supply restriction ", c.lift_restriction().restriction());
    case v1::Change::CHANGE_NOT_SET:
      break;
  }
  return "(empty change)";
}

std::string FixText(const v1::Fix& fix) {
  if (fix.cost_musd() == 0) return ChangeText(fix.change());
  return absl::StrFormat("%s (%g M$)", ChangeText(fix.change()), fix.cost_musd());
}

std::string FixesText(const google::protobuf::RepeatedPtrField<v1::Fix>& fixes) {
  std::vector<std::string> parts;
  for (const v1::Fix& f : fixes) parts.push_back(FixText(f));
  return absl::StrJoin(parts, "; ");
}

std::string ChannelText(const v1::PathStep& s) {
  return absl::StrCat(s.link(), "/", s.standard().empty() ? "voice" : s.standard());
}

std::string PathText(const google::protobuf::RepeatedPtrField<v1::PathStep>& path) {
  std::vector<std::string> parts;
  for (const v1::PathStep& s : path) {
    switch (s.kind()) {
      case v1::PathStep::ELEMENT:
        parts.push_back(s.element());
        break;
      case v1::PathStep::CHANNEL:
        parts.push_back(ChannelText(s));
        break;
      case v1::PathStep::VERSION_BRIDGE:
        parts.push_back("[version bridge]");
        break;
      case v1::PathStep::GATEWAY:
        parts.push_back(absl::StrCat("[gateway ", s.element(), "]"));
        break;
      default:
        break;
    }
  }
  return absl::StrJoin(parts, " -> ");
}

std::string BlocksText(const v1::Gap& g) {
  std::vector<std::string> parts;
  for (const v1::PolicyBlock& b : g.policy_blocks()) {
    if (b.item_kind() == v1::PolicyBlock::INFORMATION_SHARING) {
      parts.push_back(absl::StrCat("no information sharing ", b.nation(), "-", b.item()));
    } else {
      parts.push_back(absl::StrCat(b.item(), " not releasable to ", b.nation()));
    }
  }
  return absl::StrJoin(parts, "; ");
}

const char* CoverageName(v1::Coverage c) {
  switch (c) {
    case v1::EACH_TO:
      return "each to";
    case v1::EACH_FROM:
      return "each from";
    default:
      return "all pairs";
  }
}

std::string UnitsText(int64_t units, v1::Coverage c) {
  const bool elements = c == v1::EACH_TO || c == v1::EACH_FROM;
  return absl::StrCat(units, elements ? (units == 1 ? " element" : " elements")
                                      : (units == 1 ? " pair" : " pairs"));
}

std::string MonthsText(double months) {
  if (months <= 0) return "at once";
  return absl::StrFormat("%g month%s", months, months == 1 ? "" : "s");
}

namespace {

// A coverage gap (SPEC §3): the unserved element, and what its best counterpart gives it.
std::string CoverageGapText(const v1::Gap& g, const std::string& pair_text) {
  const bool each_to = g.coverage() == v1::EACH_TO;
  const std::string& served = each_to ? g.to_element() : g.from_element();
  const std::string& counterpart = each_to ? g.from_element() : g.to_element();
  const char* need = each_to ? "a feed from some source" : "to reach some destination";
  if (!g.absent_elements().empty()) {
    return absl::StrCat(served, " is absent (removed or grounded)");
  }
  if (counterpart.empty()) {
    return g.gap_class() == v1::UNAVAILABLE
               ? absl::StrCat(served, " is unserved: it needs ", need,
                              " and every one it could use is absent (removed or grounded)")
               : absl::StrCat(served, " is unserved: it needs ", need,
                              " and the IER selects none");
  }
  return absl::StrCat(served, " is unserved (it needs ", need, " at level ", g.required_level(),
                      "); its best counterpart: ", pair_text);
}

}  // namespace

std::string GapExplanation(const v1::Gap& g) {
  if (g.coverage() == v1::EACH_TO || g.coverage() == v1::EACH_FROM) {
    v1::Gap pair = g;
    pair.clear_coverage();
    const bool whole = !g.absent_elements().empty() ||
                       (g.coverage() == v1::EACH_TO ? g.from_element() : g.to_element()).empty();
    return CoverageGapText(g, whole ? "" : GapExplanation(pair));
  }
  if (g.gap_class() == v1::UNAVAILABLE) {
    return absl::StrCat(absl::StrJoin(g.absent_elements(), " and "),
                        g.absent_elements_size() > 1 ? " are" : " is",
                        " absent (removed or grounded by the what-if)");
  }
  std::string expl = absl::StrCat(g.from_element(), " reaches ", g.to_element(), " at ",
                                  g.achieved_level(), " (", LevelName(g.achieved_level()),
                                  "); needs ", g.required_level(), " (",
                                  LevelName(g.required_level()), ")");
  if (g.gap_class() == v1::POLICY) {
    std::vector<std::string> why;
    for (const v1::PolicyBlock& pb : g.policy_blocks()) {
      if (pb.item_kind() == v1::PolicyBlock::INFORMATION_SHARING) {
        why.push_back(absl::StrCat("no information-sharing arrangement between ", pb.nation(),
                                   " and ", pb.item()));
      } else {
        why.push_back(absl::StrCat(pb.item(), " is not releasable to ", pb.nation(),
                                   " (releasable to ", absl::StrJoin(pb.releasable_to(), ", "),
                                   ")"));
      }
    }
    absl::StrAppend(&expl, ". With policy relaxed it reaches ", g.relaxed_level(), " via ",
                    PathText(g.best_path()), "; blocked by policy: ", absl::StrJoin(why, "; "));
    return expl;
  }
  switch (g.layer()) {
    case v1::LAYER_BEARER:
      absl::StrAppend(&expl, ". Bearer: the two platforms fit no common link");
      break;
    case v1::LAYER_SYNTAX:
      absl::StrAppend(&expl, ". Syntax: they share a link but no standard over it");
      break;
    case v1::LAYER_VERSION:
      absl::StrAppend(&expl, ". Version: only the same standard family at different versions");
      break;
    case v1::LAYER_TRANSLATION:
      absl::StrAppend(&expl, ". Translation: only through a gateway");
      break;
    default:
      break;
  }
  if (!g.best_path().empty()) absl::StrAppend(&expl, "; best path ", PathText(g.best_path()));
  if (!g.relaxed_path().empty()) {
    absl::StrAppend(&expl, "; with policy relaxed ", g.relaxed_level(), " via ",
                    PathText(g.relaxed_path()));
  }
  return expl;
}

std::string IerPairText(const v1::IerPair& p) {
  return absl::StrCat(p.ier(), ": ", p.from_element(), " -> ", p.to_element());
}

namespace {

// "S1 (USA), S2 (GBR)": the finding's suppliers with their nations.
std::string SupplierList(const v1::RiskFinding& f) {
  std::vector<std::string> parts;
  for (int i = 0; i < f.suppliers_size(); ++i) {
    parts.push_back(absl::StrCat(f.suppliers(i), " (",
                                 i < f.supplier_nations_size() ? f.supplier_nations(i) : "", ")"));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

std::string RiskFindingText(const v1::RiskFinding& f, absl::string_view us_nation) {
  const std::string who = absl::StrCat(f.element(), " (", f.platform(), ")");
  switch (f.kind()) {
    case v1::RiskFinding::SINGLE_SOURCE:
      if (f.suppliers_size() == 1) {
        return absl::StrCat(who, " needs ", f.component(), ", made only by ", SupplierList(f));
      }
      return absl::StrCat(who, " needs ", f.component(), ", whose suppliers ", SupplierList(f),
                          " are all in ", f.nations().empty() ? "" : f.nations(0));
    case v1::RiskFinding::ADVERSARY_DEPENDENCY:
      return absl::StrCat(who, " needs ", f.component(), ", ",
                          f.severity() == v1::CRITICAL ? "made only" : "partly made",
                          " in adversary nations: ", SupplierList(f));
    case v1::RiskFinding::ITAR_EXPOSURE:
      return absl::StrCat(f.component(), " in ", who, " is ITAR-controlled and the operator ",
                          f.operator_nation(), " is neither ", us_nation,
                          " nor in an itar_exempt group with it");
    default:
      break;
  }
  return absl::StrCat(who, ": ", f.component());
}

std::string NoOpText(const v1::NoOp& n) {
  const char* why = "changed nothing";
  switch (n.reason()) {
    case v1::NoOp::ALREADY_RELEASABLE_TO_ALL:
      why = "the item is already releasable to everyone";
      break;
    case v1::NoOp::ALREADY_RELEASED:
      why = "already releasable";
      break;
    case v1::NoOp::ALREADY_FITTED:
      why = "the platform already fits it";
      break;
    case v1::NoOp::ALREADY_UPGRADED:
      why = "the platform already speaks the target standard only";
      break;
    case v1::NoOp::ALREADY_SHARING:
      why = "the nations already share information";
      break;
    case v1::NoOp::ALREADY_REMOVED:
      why = "nothing left to remove";
      break;
    case v1::NoOp::ALREADY_LIFTED:
      why = "the restriction is already lifted";
      break;
    default:
      break;
  }
  return absl::StrCat(ChangeText(n.change()), ": ", why);
}

std::string NoIersNote(const v1::GapReport& report) {
  if (report.iers_total() > 0) return "";
  return absl::StrCat(
      "No IERs: mix \"", report.mix_name(), "\" states no information exchange requirement, so no "
      "pair of its ", report.elements(), " element(s) was evaluated and nothing here is satisfied "
      "or a gap. Add IERs to the mix (each names the producing and consuming elements and the "
      "level they need) to get a gap report.");
}

std::string NoComponentsNote(const v1::RiskReport& report) {
  if (report.elements_size() == 0) return "";
  for (const v1::ElementRisk& e : report.elements()) {
    if (e.critical_components() > 0) return "";
  }
  return absl::StrCat(
      "No critical components: none of the ", report.elements_size(), " element(s) of mix \"",
      report.mix_name(), "\" has a platform listing a critical component in the model, so single "
      "sources, adversary dependency, ITAR exposure and embargo exposure cannot be assessed and "
      "read zero; only sourcing shares are reported. Add components and their suppliers to the "
      "platforms to assess them.");
}

}  // namespace coalition::report
