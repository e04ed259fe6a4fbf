// What an index holds, independent of document ids: for comparing a sharded, incremental or
// interrupted build with a clean one.
#ifndef DYAD_TESTS_INDEXER_INDEX_CONTENTS_H_
#define DYAD_TESTS_INDEXER_INDEX_CONTENTS_H_

#include <xapian.h>

#include <map>
#include <string>

#include "core/schema.h"

namespace dyad::testutil {

// Article id -> every term with its wdf and positions, every value, and the document data.
inline std::map<std::string, std::string> IndexContents(const std::string& path) {
  std::map<std::string, std::string> contents;
  Xapian::Database database(path);
  const std::string id_prefix = schema::kPrefixId;
  for (auto doc = database.postlist_begin(""); doc != database.postlist_end(""); ++doc) {
    const Xapian::Document document = database.get_document(*doc);
    std::string id, signature;
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      if ((*term).starts_with(id_prefix)) {  // No other term starts with "Q".
        id = (*term).substr(id_prefix.size());
      }
      signature.append(*term).append(":").append(std::to_string(term.get_wdf()));
      for (auto pos = term.positionlist_begin(); pos != term.positionlist_end(); ++pos) {
        signature.append(",").append(std::to_string(*pos));
      }
      signature.append(" ");
    }
    for (auto value = document.values_begin(); value != document.values_end(); ++value) {
      signature.append("|").append(std::to_string(value.get_valueno())).append("=").append(*value);
    }
    signature.append("|").append(document.get_data());
    contents.emplace(id, std::move(signature));
  }
  return contents;
}

}  // namespace dyad::testutil

#endif  // DYAD_TESTS_INDEXER_INDEX_CONTENTS_H_
