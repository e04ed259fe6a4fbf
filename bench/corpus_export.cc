// corpus_export: the inputs of bench/index_throughput.sh. Reads a corpus with Dyad's readers and
// writes the same articles for the peers, and larger synthetic corpora for scaling runs.
//
//   build/bench/corpus_export INPUT... [--scriptindex FILE] [--text FILE] [--jsonl FILE]
//                             [--jsonl-dir DIR] [--articles N] [--seed S]
//
// --scriptindex  Xapian scriptindex input: records of `field=value` lines (continuation lines
//                start with '='), separated by blank lines; fields id, title, body (paragraphs
//                separated by empty continuation lines), date (YYYYMMDD), source.
// --text         id, title and body per line, tab-separated (tabs and newlines in text become
//                spaces): what SQLite FTS5 is given.
// --jsonl        dyad-index JSON Lines (id, title, body, published, source).
// --jsonl-dir    the same, as DIR/part-NNNNN.jsonl files of 10,000 articles each (dyad-index
//                skips files over 64 MiB).
// --articles N   write N articles instead of the corpus itself: article k is source article
//                k mod M (M articles read) with id "syn-k" and the sentences of each paragraph
//                shuffled by a generator seeded with --seed (default 1) and k, so that copies
//                are not identical documents.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "indexer/document_builder.h"
#include "indexer/reader.h"

namespace {

constexpr std::uint64_t kArticlesPerPart = 10000;

struct Article {
  std::string id, title, published, source;
  std::vector<std::string> paragraphs;
};

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Sentences of a paragraph: cut after ". ", "? " and "! ".
std::vector<std::string> Sentences(const std::string& paragraph) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i + 1 < paragraph.size(); ++i) {
    const char c = paragraph[i];
    if ((c == '.' || c == '?' || c == '!') && paragraph[i + 1] == ' ') {
      sentences.push_back(paragraph.substr(start, i + 1 - start));
      start = i + 2;
    }
  }
  if (start < paragraph.size()) sentences.push_back(paragraph.substr(start));
  return sentences;
}

Article Shuffled(const Article& source, std::uint64_t k, unsigned seed) {
  Article article = source;
  article.id = "syn-" + std::to_string(k);
  std::mt19937_64 random(seed * 1000003ull + k);
  for (std::string& paragraph : article.paragraphs) {
    std::vector<std::string> sentences = Sentences(paragraph);
    std::shuffle(sentences.begin(), sentences.end(), random);
    paragraph.clear();
    for (const std::string& sentence : sentences) {
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += sentence;
    }
  }
  return article;
}

void WriteScriptindex(std::ostream& out, const Article& a) {
  const auto field = [&](const char* name, const std::string& value) {
    out << name << '=' << OneLine(value) << '\n';
  };
  field("id", a.id);
  field("title", a.title);
  out << "body=";
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    if (i > 0) out << "\n=\n=";  // An empty continuation line between paragraphs.
    out << OneLine(a.paragraphs[i]);
  }
  out << '\n';
  const double date = dyad::DateNumber(a.published);
  if (date > 0) out << "date=" << static_cast<long>(date) << '\n';
  if (!a.source.empty()) field("source", a.source);
  out << '\n';
}

void WriteText(std::ostream& out, const Article& a) {
  out << OneLine(a.id) << '\t' << OneLine(a.title) << '\t';
  for (std::size_t i = 0; i < a.paragraphs.size(); ++i) {
    if (i > 0) out << ' ';
    out << OneLine(a.paragraphs[i]);
  }
  out << '\n';
}

void WriteJsonl(std::ostream& out, const Article& a) {
  std::string body;
  for (const std::string& p : a.paragraphs) {
    if (!body.empty()) body += "\n\n";
    body += p;
  }
  out << "{\"id\":" << JsonString(a.id) << ",\"title\":" << JsonString(a.title)
      << ",\"body\":" << JsonString(body) << ",\"published\":" << JsonString(a.published)
      << ",\"source\":" << JsonString(a.source) << "}\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  std::string scriptindex_path, text_path, jsonl_path, jsonl_dir;
  std::uint64_t articles = 0;
  unsigned seed = 1;
  for (int i = 1; i < argc; ++i) {
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "corpus_export: %s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (std::strcmp(argv[i], "--scriptindex") == 0) {
      scriptindex_path = value();
    } else if (std::strcmp(argv[i], "--text") == 0) {
      text_path = value();
    } else if (std::strcmp(argv[i], "--jsonl") == 0) {
      jsonl_path = value();
    } else if (std::strcmp(argv[i], "--jsonl-dir") == 0) {
      jsonl_dir = value();
    } else if (std::strcmp(argv[i], "--articles") == 0) {
      articles = std::stoull(value());
    } else if (std::strcmp(argv[i], "--seed") == 0) {
      seed = static_cast<unsigned>(std::stoul(value()));
    } else {
      inputs.push_back(argv[i]);
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr,
                 "usage: corpus_export INPUT... [--scriptindex FILE] [--text FILE] "
                 "[--jsonl FILE] [--articles N] [--seed S]\n");
    return 2;
  }
  std::vector<Article> corpus;
  dyad::ReadReport report;
  const dyad::Status status = dyad::ReadCorpus(
      inputs,
      [&](dyad::v1::StoredArticle&& a) {
        Article article{a.id(), a.title(), a.published(), a.source(), {}};
        for (const auto& section : a.sections()) {
          if (!section.heading().empty()) article.paragraphs.push_back(section.heading());
          for (const auto& p : section.paragraphs()) article.paragraphs.push_back(p);
        }
        corpus.push_back(std::move(article));
        return dyad::Status::Ok();
      },
      &report);
  if (!status.ok() || corpus.empty()) {
    std::fprintf(stderr, "corpus_export: %s\n",
                 status.ok() ? "no articles read" : status.message().c_str());
    return 1;
  }
  std::ofstream scriptindex, text, jsonl;
  if (!scriptindex_path.empty()) scriptindex.open(scriptindex_path);
  if (!text_path.empty()) text.open(text_path);
  if (!jsonl_path.empty()) jsonl.open(jsonl_path);
  if (!jsonl_dir.empty()) std::filesystem::create_directories(jsonl_dir);
  const std::uint64_t n = articles > 0 ? articles : corpus.size();
  for (std::uint64_t k = 0; k < n; ++k) {
    const Article article = articles > 0 ? Shuffled(corpus[k % corpus.size()], k, seed) : corpus[k];
    if (scriptindex.is_open()) WriteScriptindex(scriptindex, article);
    if (text.is_open()) WriteText(text, article);
    if (!jsonl_dir.empty() && k % kArticlesPerPart == 0) {
      char name[32];
      std::snprintf(name, sizeof name, "/part-%05llu.jsonl",
                    static_cast<unsigned long long>(k / kArticlesPerPart));
      jsonl.close();
      jsonl.open(jsonl_dir + name);
    }
    if (jsonl.is_open()) WriteJsonl(jsonl, article);
  }
  std::fprintf(stderr, "corpus_export: %llu articles from %zu read\n",
               static_cast<unsigned long long>(n), corpus.size());
  return scriptindex.good() || !scriptindex.is_open() ? 0 : 1;
}
