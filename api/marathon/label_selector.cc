#include "api/marathon/label_selector.h"

#include <algorithm>

#include "events/domain/text.h"

namespace regatta::marathon {
namespace {

std::string Trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

// Splits at unescaped `sep` outside parentheses, dropping the escapes.
std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      parts.back() += '\\';
      parts.back() += text[++i];
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == sep && depth == 0) {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  return parts;
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

Status Bad(const std::string& term, const char* why) {
  return Status::InvalidField("label", std::string(why) + ": " + domain::Quote(term));
}

Result<LabelSelector::Term> ParseTerm(const std::string& raw) {
  const std::string term = Trim(raw);
  if (term.empty()) return Bad(raw, "an empty term");
  LabelSelector::Term t;
  for (const auto& [op, kind] : {std::pair{"==", LabelSelector::Op::kEquals}, {"!=", LabelSelector::Op::kNotEquals}}) {
    const std::size_t at = term.find(op);
    if (at == std::string::npos) continue;
    t.key = Unescape(Trim(term.substr(0, at)));
    t.op = kind;
    t.values = {Unescape(Trim(term.substr(at + 2)))};
    if (t.key.empty()) return Bad(term, "a term without a key");
    return t;
  }
  for (const auto& [word, kind] : {std::pair{" notin ", LabelSelector::Op::kNotIn}, {" in ", LabelSelector::Op::kIn}}) {
    const std::size_t at = term.find(word);
    if (at == std::string::npos) continue;
    const std::string list = Trim(term.substr(at + std::string(word).size()));
    if (list.size() < 2 || list.front() != '(' || list.back() != ')') return Bad(term, "expected (a,b) after in");
    t.key = Unescape(Trim(term.substr(0, at)));
    t.op = kind;
    for (const std::string& v : Split(list.substr(1, list.size() - 2), ',')) t.values.push_back(Unescape(Trim(v)));
    if (t.key.empty()) return Bad(term, "a term without a key");
    return t;
  }
  t.key = Unescape(term);
  return t;
}

}  // namespace

Result<LabelSelector> ParseLabelSelector(const std::string& text) {
  LabelSelector selector;
  for (const std::string& part : Split(text, ',')) {
    auto term = ParseTerm(part);
    if (!term.ok()) return term.status();
    selector.terms.push_back(std::move(*term));
  }
  return selector;
}

bool LabelSelector::Matches(const domain::Attributes& labels) const {
  for (const Term& t : terms) {
    auto it = std::find_if(labels.begin(), labels.end(), [&](const auto& kv) { return kv.first == t.key; });
    const bool has = it != labels.end();
    const auto in = [&] { return has && std::count(t.values.begin(), t.values.end(), it->second) > 0; };
    switch (t.op) {
      case Op::kExists: if (!has) return false; break;
      case Op::kEquals: if (!in()) return false; break;
      case Op::kNotEquals: if (in()) return false; break;
      case Op::kIn: if (!in()) return false; break;
      case Op::kNotIn: if (in()) return false; break;
    }
  }
  return true;
}

}  // namespace regatta::marathon
