// The incident log's categories and checklist, in the words of the club's online-safety policy
// (section 8 and appendix 2). migration_incidents.cpp's CHECK constraints list the same names.
#include "collector/storage/incident_store.hpp"

#include <algorithm>
#include <array>

namespace clubsafe::collector {
namespace {

constexpr std::array<IncidentTerm, 8> kCategories{{
    {"self_generated_images", "Self-generated indecent images of children (sexting)"},
    {"online_sexual_abuse", "Online child sexual abuse and exploitation"},
    {"indecent_images", "Indecent images of children"},
    {"radicalisation", "Radicalisation or extremism online"},
    {"cyberbullying", "Cyberbullying"},
    {"online_hate_crime", "Online hate crime"},
    {"filtering_breach", "Filtering breach"},
    {"other", "Other"},
}};

constexpr std::array<IncidentTerm, 13> kActions{{
    {"dsl_notified", "Designated Person for Child Protection notified"},
    {"evidence_secured", "Devices containing evidence stored securely"},
    {"risk_assessment", "Risk assessment carried out for the young people involved"},
    {"vulnerabilities_considered", "Vulnerabilities considered (checks with other agencies)"},
    {"referral_childrens_services", "Referral to Children's Social Work Services (Front Door)"},
    {"referral_police", "Referral to or consultation with the police"},
    {"referral_lado", "Referral to the LADO (allegation against staff)"},
    {"referral_ceop", "Report to CEOP"},
    {"referral_iwf", "Report to the Internet Watch Foundation"},
    {"safeguards", "Safeguards in place for the young people (support, protection)"},
    {"parents_informed", "Parents or carers informed"},
    {"access_blocked", "Access blocked for all users involved"},
    {"images_isolated", "Images isolated, not viewed"},
}};

}  // namespace

std::span<const IncidentTerm> incidentCategories() {
  return kCategories;
}

std::span<const IncidentTerm> incidentActions() {
  return kActions;
}

bool isReferral(std::string_view action) {
  return action.starts_with("referral_") &&
         std::ranges::any_of(kActions, [&](const auto& term) { return term.name == action; });
}

std::string_view incidentLabel(std::string_view name) {
  for (const auto terms : {incidentCategories(), incidentActions()}) {
    const auto found =
        std::ranges::find_if(terms, [&](const auto& term) { return term.name == name; });
    if (found != terms.end()) return found->label;
  }
  return name;
}

}  // namespace clubsafe::collector
