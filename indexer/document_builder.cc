#include "indexer/document_builder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <charconv>

#include "core/schema.h"

namespace dyad {

std::string IdTerm(std::string_view id) { return schema::BooleanTerm(schema::kPrefixId, id); }

double DateNumber(std::string_view published) {
  const auto part = [&](std::size_t from, std::size_t n, int fallback) {
    int value = fallback;
    if (published.size() >= from + n) {
      std::from_chars(published.data() + from, published.data() + from + n, value);
    }
    return value;
  };
  if (published.size() < 4) return 0;
  return part(0, 4, 0) * 10000.0 + part(5, 2, 1) * 100.0 + part(8, 2, 1);
}

DocumentBuilder::DocumentBuilder(const Analyzer& analyzer) : analyzer_(analyzer) {
  analyzer_.ConfigureTermGenerator(generator_);
  // The tap stops nothing: the terms are those without a stopper.
  generator_.set_stopper(&spelling_);
  generator_.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
}

void DocumentBuilder::EnableSpelling() { spelling_enabled_ = true; }

void DocumentBuilder::FlushSpelling(Xapian::WritableDatabase& database) {
  for (const auto& [word, count] : spelling_.counts) database.add_spelling(word, count);
  spelling_.counts.clear();
}

namespace {

bool IsAscii(std::string_view text) {
  unsigned char any = 0;
  for (char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

}  // namespace

void DocumentBuilder::Index(const std::string& text, Xapian::termcount wdf, std::string_view prefix,
                            FieldStems* stems) {
  spelling_.counting = spelling_enabled_ && prefix.empty();
  // The tap sees exactly the words of Analyzer::Words for ASCII text; other text may also give
  // CJK n-grams, which Words leaves out, so the Enricher analyses it itself.
  std::vector<std::string>* words =
      stems != nullptr && prefix.empty() && !text.empty() && IsAscii(text) ? &stems->Add(&text)
                                                                           : nullptr;
  spelling_.words = words;
  analyzer_.IndexText(generator_, text, wdf, prefix);
  spelling_.words = nullptr;
  if (words != nullptr) analyzer_.StemWords(*words);
}

Xapian::Document DocumentBuilder::Build(const v1::StoredArticle& article) {
  IndexText(article);
  return Finish(article);
}

void DocumentBuilder::IndexText(const v1::StoredArticle& article, FieldStems* stems) {
  document_ = Xapian::Document();
  generator_.set_document(document_);
  generator_.set_termpos(0);
  if (stems != nullptr) stems->Clear();

  // Each field is indexed under its prefix and, with a weight, unprefixed for plain searches.
  // Title, headings and paragraphs are what the Enricher reads as they are.
  const auto field = [&](const std::string& text, const char* prefix, Xapian::termcount wdf,
                         FieldStems* field_stems) {
    if (text.empty()) return;
    Index(text, 1, prefix);
    Index(text, wdf, {}, field_stems);
  };
  field(article.title(), schema::kPrefixTitle, schema::kWdfTitle, stems);
  for (const v1::KeyPoint& point : article.key_points()) {
    field(point.label() + " " + point.text(), schema::kPrefixKeyPoints, schema::kWdfKeyPoints,
          nullptr);
  }
  for (const v1::Section& section : article.sections()) {
    field(section.heading(), schema::kPrefixHeading, schema::kWdfHeading, stems);
    for (const std::string& paragraph : section.paragraphs()) {
      Index(paragraph, schema::kWdfBody, {}, stems);
    }
  }
  for (const std::string& author : article.authors()) {
    field(author, schema::kPrefixAuthor, schema::kWdfBody, nullptr);
  }
  field(article.author_note(), schema::kPrefixAuthor, schema::kWdfBody, nullptr);
}

Xapian::Document DocumentBuilder::Finish(const v1::StoredArticle& article) {
  Xapian::Document document = std::move(document_);
  document_ = Xapian::Document();
  for (const std::string& author : article.authors()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixAuthorExact, author));
  }

  document.add_boolean_term(IdTerm(article.id()));
  if (!article.source().empty()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixSource, article.source()));
  }
  if (!article.language().empty()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixLanguage, article.language()));
  }
  const v1::Enrichment& enrichment = article.enrichment();
  for (const v1::CountryScore& country : enrichment.countries()) {
    if (!country.salient()) continue;  // Named in passing: searchable as text, not filed.
    // With the mention count as wdf, a country term also ranks: country:RU and the query
    // expansion of "USSR" weigh articles by how much they say about it.
    document.add_term(schema::BooleanTerm(schema::kPrefixCountry, country.code()),
                      std::max<Xapian::termcount>(1, country.mentions()));
  }
  for (const v1::DyadScore& dyad : enrichment.dyads()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixDyad, dyad.pair()));
  }
  for (const v1::ThemeScore& theme : enrichment.themes()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixTheme, theme.id()));
  }
  for (const std::string& era : enrichment.eras()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixEra, era));
  }
  for (const std::string& decade : enrichment.decades()) {
    document.add_boolean_term(schema::BooleanTerm(schema::kPrefixDecade, decade));
  }
  // Facet value lists (core/schema.h), one slot per facet.
  const auto facet = [&](Xapian::valueno slot, std::vector<std::string> values) {
    std::string encoded = schema::EncodeFacetValues(std::move(values));
    if (!encoded.empty()) document.add_value(slot, std::move(encoded));
  };
  std::vector<std::string> values;
  for (const v1::CountryScore& country : enrichment.countries()) {
    if (country.salient()) values.push_back(country.code());
  }
  facet(schema::kSlotFacetCountry, std::move(values));
  values.clear();
  for (const v1::DyadScore& dyad : enrichment.dyads()) values.push_back(dyad.pair());
  facet(schema::kSlotFacetDyad, std::move(values));
  values.clear();
  for (const v1::ThemeScore& theme : enrichment.themes()) values.push_back(theme.id());
  facet(schema::kSlotFacetTheme, std::move(values));
  facet(schema::kSlotFacetEra, {enrichment.eras().begin(), enrichment.eras().end()});
  facet(schema::kSlotFacetDecade, {enrichment.decades().begin(), enrichment.decades().end()});
  facet(schema::kSlotFacetSource, {article.source()});
  if (enrichment.has_period() && enrichment.period().from() != 0) {
    document.add_value(schema::kSlotPeriodStart,
                       Xapian::sortable_serialise(enrichment.period().from()));
    document.add_value(schema::kSlotPeriodEnd,
                       Xapian::sortable_serialise(enrichment.period().to()));
  }
  if (const double date = DateNumber(article.published()); date > 0) {
    document.add_value(schema::kSlotPublished, Xapian::sortable_serialise(date));
  }
  // Deterministic: map fields (metadata) in key order, so that equal articles give equal bytes
  // whatever the process, and an incremental build equals a clean one.
  std::string data;
  {
    google::protobuf::io::StringOutputStream stream(&data);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    article.SerializeToCodedStream(&coded);
  }
  document.set_data(std::move(data));
  return document;
}

}  // namespace dyad
