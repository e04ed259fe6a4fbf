// Format detection, --format, gzip input and JSON Lines field names, through ReadCorpus.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "core/data_files.h"
#include "indexer/gzip.h"
#include "indexer/reader.h"
#include "indexer/reader_internal.h"
#include "tests/indexer/reader_cases.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

constexpr char kDataDir[] = DYAD_SOURCE_DIR "/tests/data/";

std::string Gzip(std::string_view data) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Data(const std::string& name) {
  StatusOr<std::string> content = ReadFileToString(kDataDir + name);
  EXPECT_TRUE(content.ok()) << content.status().ToString();
  return content.ok() ? *content : std::string();
}

struct Collected {
  std::vector<v1::StoredArticle> articles;
  ReadReport report;
  Status status;

  std::vector<std::string> Ids() const {
    std::vector<std::string> ids;
    for (const auto& a : articles) ids.push_back(a.id());
    return ids;
  }
};

Collected Read(const std::vector<std::string>& inputs, const ReadOptions& options = {}) {
  Collected out;
  out.status = ReadCorpus(
      inputs, options,
      [&](v1::StoredArticle&& article) {
        out.articles.push_back(std::move(article));
        return Status::Ok();
      },
      &out.report);
  return out;
}

TEST(FormatDetection, ByName) {
  EXPECT_EQ(ParseCorpusFormat("text"), CorpusFormat::kText);
  EXPECT_EQ(ParseCorpusFormat("md"), CorpusFormat::kText);
  EXPECT_EQ(ParseCorpusFormat("JSONL"), CorpusFormat::kJsonLines);
  EXPECT_EQ(ParseCorpusFormat("trec"), CorpusFormat::kTrec);
  EXPECT_EQ(ParseCorpusFormat("smart"), CorpusFormat::kSmart);
  EXPECT_EQ(ParseCorpusFormat("glasgow"), CorpusFormat::kGlasgow);
  EXPECT_EQ(ParseCorpusFormat("sgml"), CorpusFormat::kSgml);
  EXPECT_EQ(ParseCorpusFormat("auto"), CorpusFormat::kAuto);
  EXPECT_EQ(ParseCorpusFormat("pdf"), std::nullopt);
  for (CorpusFormat f : {CorpusFormat::kText, CorpusFormat::kJsonLines, CorpusFormat::kTrec,
                         CorpusFormat::kSmart, CorpusFormat::kGlasgow, CorpusFormat::kSgml}) {
    EXPECT_EQ(ParseCorpusFormat(CorpusFormatName(f)), f) << CorpusFormatName(f);
  }
}

TEST(FormatDetection, ByExtension) {
  const std::pair<const char*, CorpusFormat> cases[] = {
      {"a.txt", CorpusFormat::kText},
      {"dir/B.MD", CorpusFormat::kText},
      {"a.markdown", CorpusFormat::kText},
      {"a.text", CorpusFormat::kText},
      {"feed.jsonl", CorpusFormat::kJsonLines},
      {"feed.ndjson.gz", CorpusFormat::kJsonLines},
      {"ap.trec", CorpusFormat::kTrec},
      {"reut2-000.sgm", CorpusFormat::kSgml},
      {"x.sgm.gz", CorpusFormat::kSgml},
      {"x.sgml", CorpusFormat::kSgml},
      {"CISI.ALL", CorpusFormat::kAuto},
      {"AP880212", CorpusFormat::kAuto},
      {"x.gz", CorpusFormat::kAuto},
      {"notes.csv", CorpusFormat::kAuto},
  };
  for (const auto& [name, format] : cases) {
    EXPECT_EQ(FormatFromExtension(name), format) << name;
  }
}

TEST(FormatDetection, ByContent) {
  const std::pair<std::string, CorpusFormat> cases[] = {
      {"<DOC>\n<DOCNO>", CorpusFormat::kTrec},
      {"\n\n  <doc>\n", CorpusFormat::kTrec},
      {"<DOC id=\"x\">", CorpusFormat::kTrec},
      {"<DOCNO>1</DOCNO>", CorpusFormat::kAuto},
      {".I 1\n.T\n", CorpusFormat::kSmart},
      {".I\t1\n", CorpusFormat::kSmart},
      {".Index", CorpusFormat::kAuto},
      {"*TEXT 017 01/04/63 PAGE 020\n", CorpusFormat::kGlasgow},
      {"*TEXTS", CorpusFormat::kAuto},
      {"{\"id\":1}\n", CorpusFormat::kJsonLines},
      {"{\"id\":1}\r\n{\"id\":2}", CorpusFormat::kJsonLines},
      {"{\n  \"id\": 1\n}\n", CorpusFormat::kAuto},  // Pretty-printed JSON, not JSON Lines.
      {"\xEF\xBB\xBF{\"id\":1}", CorpusFormat::kJsonLines},
      {"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n", CorpusFormat::kSgml},
      {"<REUTERS TOPICS=\"YES\">", CorpusFormat::kSgml},
      {"---\nid: a\n---\n", CorpusFormat::kText},
      {"Just a title\nand text\n", CorpusFormat::kAuto},
      {"", CorpusFormat::kAuto},
      {std::string("\x1f\x8b\x08\x00", 4), CorpusFormat::kAuto},
  };
  for (const auto& [head, format] : cases) {
    EXPECT_EQ(FormatFromContent(head), format) << head;
  }
}

TEST(FormatDetection, WalkedFolderDetectsByExtensionThenContent) {
  testutil::TempDir dir;
  dir.Write("c/CISI.ALL", Data("cisi-excerpt.ALL"));
  dir.Write("c/TIME.ALL", Data("time-sample.glasgow"));
  dir.Write("c/ap/AP631104", Data("trec-sample.trec"));
  dir.Write("c/seed.md", "Title\nBody.\n");
  dir.Write("c/README", "Not an article format.\n");
  dir.Write("c/CISI.QRY", ".I 1\n.W\nA query, not an article.\n");  // Topics: left out.
  dir.Write("c/image.png", std::string("\x89PNG\r\n\x1a\n\0\0", 10));
  const Collected read = Read({dir.Sub("c")});
  ASSERT_TRUE(read.status.ok()) << read.status.ToString();
  EXPECT_EQ(read.report.files, 4u);
  EXPECT_EQ(read.report.ignored_files, 3u);
  EXPECT_EQ(read.articles.size(), 5u + 3u + 3u + 1u);
  EXPECT_TRUE(read.report.issues.empty()) << testutil::Describe(read.report.issues);
}

TEST(FormatDetection, NamedFileOfUnknownFormatIsAnError) {
  testutil::TempDir dir;
  const std::string path = dir.Write("notes.dat", "Plain words.\n");
  const Collected read = Read({path});
  ASSERT_TRUE(read.status.ok());
  EXPECT_TRUE(read.articles.empty());
  EXPECT_EQ(read.report.skipped, 1u);
  ASSERT_EQ(read.report.issues.size(), 1u);
  EXPECT_NE(read.report.issues[0].message.find("--format"), std::string::npos);
  EXPECT_EQ(read.report.issues[0].path, path);
}

TEST(FormatOverride, FormatFlagWinsOverExtensionAndContent) {
  testutil::TempDir dir;
  // A TREC file named .txt: by extension it is one text article titled "<DOC>".
  const std::string path = dir.Write("wire.txt", Data("trec-sample.trec"));
  const Collected by_extension = Read({path});
  ASSERT_EQ(by_extension.articles.size(), 1u);
  EXPECT_EQ(by_extension.articles[0].title(), "<DOC>");

  ReadOptions options;
  options.format = CorpusFormat::kTrec;
  const Collected forced = Read({path}, options);
  EXPECT_EQ(forced.Ids(),
            (std::vector<std::string>{"AP631104-0001", "LA010189-0002", "XIE19980105.0011"}));

  // Forcing the wrong format reports every file it cannot read, and reads nothing wrong.
  options.format = CorpusFormat::kSmart;
  const Collected wrong = Read({path}, options);
  EXPECT_TRUE(wrong.articles.empty());
  EXPECT_GE(wrong.report.skipped, 1u);
}

TEST(Gzip, RoundTripEveryFormat) {
  testutil::TempDir dir;
  for (const char* name : {"cisi-excerpt.ALL", "time-sample.glasgow", "trec-sample.trec"}) {
    SCOPED_TRACE(name);
    const std::string plain = dir.Write(std::string("plain/") + name, Data(name));
    const std::string packed = dir.Write(std::string("packed/") + name + ".gz", Gzip(Data(name)));
    const Collected a = Read({plain});
    const Collected b = Read({packed});
    ASSERT_FALSE(a.articles.empty());
    ASSERT_EQ(a.articles.size(), b.articles.size());
    EXPECT_TRUE(b.report.issues.empty()) << testutil::Describe(b.report.issues);
    for (std::size_t i = 0; i < a.articles.size(); ++i) {
      v1::StoredArticle expected = a.articles[i];
      expected.mutable_origin()->set_path(packed);
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(b.articles[i], expected))
          << i << ": " << b.articles[i].DebugString();
    }
  }
}

TEST(Gzip, DetectedByMagicBytesWithoutExtension) {
  testutil::TempDir dir;
  dir.Write("c/CISI", Gzip(Data("cisi-excerpt.ALL")));        // No extension at all.
  dir.Write("c/article.txt", Gzip("A Title\nSome text.\n"));  // Compressed, misleading name.
  const Collected read = Read({dir.Sub("c")});
  EXPECT_EQ(read.Ids(), (std::vector<std::string>{"1", "3", "17", "33", "321", "article"}));
  EXPECT_EQ(read.articles.back().title(), "A Title");
  EXPECT_TRUE(read.report.issues.empty()) << testutil::Describe(read.report.issues);
}

TEST(Gzip, BrokenDataIsReportedAndSkipped) {
  testutil::TempDir dir;
  const std::string packed = Gzip(Data("trec-sample.trec"));
  dir.Write("c/1-truncated.trec.gz", packed.substr(0, packed.size() / 2));
  std::string corrupt = packed;
  corrupt[corrupt.size() / 2] ^= 0x55;
  corrupt[corrupt.size() / 2 + 1] ^= 0x55;
  dir.Write("c/2-corrupt.trec.gz", corrupt);
  dir.Write("c/3-not-gzip.trec.gz", Data("trec-sample.trec"));
  dir.Write("c/4-good.trec.gz", packed);
  const Collected read = Read({dir.Sub("c")});
  ASSERT_TRUE(read.status.ok());
  EXPECT_EQ(read.articles.size(), 3u);
  EXPECT_EQ(read.report.skipped, 3u);
  ASSERT_EQ(read.report.issues.size(), 3u) << testutil::Describe(read.report.issues);
  EXPECT_NE(read.report.issues[0].message.find("truncated"), std::string::npos);
  EXPECT_NE(read.report.issues[1].message.find("gzip"), std::string::npos);
  EXPECT_NE(read.report.issues[2].message.find("not gzip"), std::string::npos);
}

TEST(BadInput, EachBadFileIsReportedAndTheRestRead) {
  testutil::TempDir dir;
  dir.Write("c/1-empty.trec", " \n\n");
  dir.Write("c/2-binary.ALL", ".I 1\n.T\nx\n" + std::string("\0\x01\x02", 3));
  // Over kMaxArticleFileBytes once decompressed, though the file itself is small.
  dir.Write("c/3-bomb.trec.gz", Gzip(std::string(kMaxArticleFileBytes + 1, ' ')));
  dir.Write("c/4-good.ALL", Data("cisi-excerpt.ALL"));
  const Collected read = Read({dir.Sub("c")});
  ASSERT_TRUE(read.status.ok());
  EXPECT_EQ(read.articles.size(), 5u);
  EXPECT_EQ(read.report.skipped, 3u);
  const std::vector<ReadIssue>& issues = read.report.issues;
  ASSERT_EQ(issues.size(), 3u) << testutil::Describe(issues);
  EXPECT_EQ(issues[0].path, dir.Sub("c/1-empty.trec"));
  EXPECT_EQ(issues[0].line, 1u);
  EXPECT_NE(issues[0].message.find("empty"), std::string::npos);
  EXPECT_EQ(issues[1].path, dir.Sub("c/2-binary.ALL"));
  EXPECT_EQ(issues[1].line, 4u);
  EXPECT_NE(issues[1].message.find("binary"), std::string::npos);
  EXPECT_EQ(issues[2].path, dir.Sub("c/3-bomb.trec.gz"));
  EXPECT_NE(issues[2].message.find("over the limit"), std::string::npos);
}

TEST(Gzip, OutputLimitStopsABomb) {
  const std::string zeros(1 << 20, '\0');
  const std::string packed = Gzip(zeros);
  EXPECT_LT(packed.size(), 8192u);  // 1 MiB in a few KiB.
  const StatusOr<std::string> limited = Gunzip(packed, 1000);
  EXPECT_EQ(limited.status().code(), StatusCode::kInvalidArgument);
  const StatusOr<std::string> full = Gunzip(packed, zeros.size());
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(*full, zeros);
  const StatusOr<std::string> prefix = GunzipPrefix(packed, 10);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->size(), 10u);
  // Two members, as `cat a.gz b.gz` makes.
  const StatusOr<std::string> both = Gunzip(Gzip("ab") + Gzip("cd"), 100);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, "abcd");
}

TEST(JsonLinesFields, ParsesTheMapping) {
  StatusOr<JsonLinesFields> fields =
      ParseJsonLinesFields("id=doc_id, title=headline,body=text,published=date");
  ASSERT_TRUE(fields.ok()) << fields.status().ToString();
  EXPECT_EQ(fields->id, "doc_id");
  EXPECT_EQ(fields->title, "headline");
  EXPECT_EQ(fields->body, "text");
  EXPECT_EQ(fields->published, "date");
  EXPECT_EQ(fields->authors, "authors");  // Not named: default.
  for (const char* bad : {"id", "colour=red", "title=", "=x"}) {
    EXPECT_EQ(ParseJsonLinesFields(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(JsonLinesFields, MappedRecordsAreRead) {
  StatusOr<JsonLinesFields> fields =
      ParseJsonLinesFields("id=doc_id,title=headline,body=text,published=date,authors=byline");
  ASSERT_TRUE(fields.ok());
  const std::string content =
      R"({"doc_id": 17, "headline": "Talks resume", "text": "Lead.\nMore.", "date": "01/04/1963", "byline": "A. One; B. Two", "title": "ignored"})"
      "\n"
      R"({"doc_id": "x2", "headline": "Second", "date": 1963, "desk": "Foreign"})"
      "\n"
      R"({"doc_id": "x3", "headline": {"nested": true}})"
      "\n";
  std::vector<ReadIssue> issues;
  const auto articles = ParseJsonLines(content, "feed.jsonl", "feed", *fields, &issues);
  ASSERT_EQ(articles.size(), 2u) << testutil::Describe(issues);
  EXPECT_EQ(articles[0].id(), "17");
  EXPECT_EQ(articles[0].title(), "Talks resume");
  EXPECT_EQ(articles[0].authors_size(), 2);
  EXPECT_EQ(articles[0].authors(1), "B. Two");
  EXPECT_EQ(articles[0].sections(0).paragraphs(0), "Lead.");
  EXPECT_EQ(articles[1].published(), "1963");
  // 01/04/1963 is not an ISO date: a warning on line 1; the nested headline an error on line 3.
  ASSERT_EQ(issues.size(), 2u) << testutil::Describe(issues);
  EXPECT_EQ(issues[0].severity, ReadIssue::Severity::kWarning);
  EXPECT_EQ(issues[0].line, 1u);
  EXPECT_EQ(issues[1].severity, ReadIssue::Severity::kError);
  EXPECT_EQ(issues[1].line, 3u);
}

TEST(LooseDates, Table) {
  const std::pair<const char*, const char*> cases[] = {
      {"1963", "1963"},
      {"1963-01", "1963-01"},
      {"1963-01-04", "1963-01-04"},
      {"1998-01-05 10:37:00", "1998-01-05"},
      {"2001-09-11T08:46:00Z", "2001-09-11"},
      {"19630104", "1963-01-04"},
      {"880212", "1988-02-12"},
      {"010203", "2001-02-03"},
      {"01/04/63", "1963-01-04"},
      {"12/31/1999", "1999-12-31"},
      {"January 1, 1989, Sunday, Home Edition", "1989-01-01"},
      {"4 Jan 1963", "1963-01-04"},
      {"CACM December, 1958", "1958-12"},
      {"Sept. 1970", "1970-09"},
      {"13/01/63", ""},
      {"02/30", ""},
      {"1963-13-01", ""},
      {"sometime", ""},
      {"pp. 12 1970", ""},
      {"", ""},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_EQ(internal::ParseLooseDate(input).value_or(""), expected) << input;
  }
}

}  // namespace
}  // namespace dyad
