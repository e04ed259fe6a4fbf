// The Debian packages as a user gets them: cpack builds dyad and dyad-dev from this build, dpkg-deb
// unpacks them into an empty folder (a clean root: no dpkg database, no root rights, nothing of the
// build tree on the way), and the unpacked dyad-index, dyad-searchd and dyad index the bundled
// corpus, serve it with the packaged configuration and answer queries, each finding its data files
// beside itself. Also checks what the packages declare: dependencies, conffiles, maintainer
// scripts, the systemd unit, man pages and bash completion.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/version.h"
#include "tests/testing/http_client.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace dyad {
namespace {

namespace fs = std::filesystem;
using testutil::Daemon;
using testutil::DaemonOptions;
using testutil::RunCommand;
using testutil::RunResult;

constexpr char kSeedTitle[] = "From Mistrust to Mutual Interests: The Saga of Pak-Russia Relations";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class PackageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testutil::TempDir();
    const RunResult cpack = RunCommand(
        {DYAD_CPACK_BIN, "--config", DYAD_BUILD_DIR "/CPackConfig.cmake", "-B", dir_->Sub("out")});
    ASSERT_EQ(cpack.exit_code, 0) << cpack.out << cpack.err;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_->path() / "out")) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("dyad_") && name.ends_with(".deb")) runtime_deb_ = entry.path();
      if (name.starts_with("dyad-dev_") && name.ends_with(".deb")) dev_deb_ = entry.path();
    }
    ASSERT_FALSE(runtime_deb_.empty()) << cpack.out;
    ASSERT_FALSE(dev_deb_.empty()) << cpack.out;
    for (const fs::path& deb : {runtime_deb_, dev_deb_}) {
      const RunResult unpack = RunCommand({DPKG_DEB_BIN, "-x", deb.string(), Root()});
      ASSERT_EQ(unpack.exit_code, 0) << unpack.err;
    }
    // The unpacked dyad-index, with nothing in the environment pointing at data files.
    const RunResult build =
        Installed({Bin("dyad-index"), "build", Root() + "/usr/share/dyad/corpus", "--index",
                   Index(), "--quiet"});
    ASSERT_EQ(build.exit_code, 0) << build.err;
    build_summary_ = new std::string(build.out);
  }
  static void TearDownTestSuite() {
    delete build_summary_;
    delete dir_;
  }

  static std::string Root() { return dir_->Sub("root"); }
  static std::string Bin(const std::string& program) { return Root() + "/usr/bin/" + program; }
  static std::string Index() { return dir_->Sub("index"); }

  // Runs argv without DYAD_DATA_DIR or DYAD_SERVER, with the unpacked usr/bin first on PATH.
  static RunResult Installed(std::vector<std::string> argv) {
    std::vector<std::string> command = {
        "/usr/bin/env", "-u",          "DYAD_DATA_DIR",
        "-u",           "DYAD_SERVER", "PATH=" + Root() + "/usr/bin:/usr/bin:/bin"};
    command.insert(command.end(), argv.begin(), argv.end());
    return RunCommand(command);
  }

  static std::string Control(const fs::path& deb, const std::string& field) {
    const RunResult result = RunCommand({DPKG_DEB_BIN, "--field", deb.string(), field});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  static testutil::TempDir* dir_;
  static fs::path runtime_deb_;
  static fs::path dev_deb_;
  static std::string* build_summary_;
};

testutil::TempDir* PackageTest::dir_ = nullptr;
fs::path PackageTest::runtime_deb_;
fs::path PackageTest::dev_deb_;
std::string* PackageTest::build_summary_ = nullptr;

TEST_F(PackageTest, DependsOnTheDebianRuntimePackages) {
  const std::string depends = Control(runtime_deb_, "Depends");
  // From dpkg-shlibdeps (the linked libraries), then the ones read or run.
  for (const char* package : {"libxapian30", "libicu", "libprotobuf", "zlib1g", "libstdc++6",
                              "libc6", "iso-codes", "adduser"}) {
    EXPECT_TRUE(Contains(depends, package)) << package << " missing from: " << depends;
  }
  EXPECT_EQ(Control(runtime_deb_, "Version"), std::string(Version()) + "\n");
  EXPECT_TRUE(Control(runtime_deb_, "Description")
                  .starts_with("search engine for international-relations writing\n"));
  EXPECT_TRUE(
      Control(dev_deb_, "Description").starts_with("client library for the Dyad search daemon\n"));
  const std::string dev_depends = Control(dev_deb_, "Depends");
  EXPECT_TRUE(Contains(dev_depends, "libprotobuf-dev")) << dev_depends;
  EXPECT_TRUE(Contains(dev_depends, "libboost-dev")) << dev_depends;
}

TEST_F(PackageTest, DeclaresConffileAndMaintainerScripts) {
  const std::string control = dir_->Sub("control");
  const RunResult extract = RunCommand({DPKG_DEB_BIN, "--control", runtime_deb_.string(), control});
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  EXPECT_EQ(ReadFile(control + "/conffiles"), "/etc/dyad/searchd.conf\n");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    const fs::path path = fs::path(control) / script;
    ASSERT_TRUE(fs::exists(path)) << script;
    EXPECT_NE(fs::status(path).permissions() & fs::perms::owner_exec, fs::perms::none) << script;
    const RunResult syntax = RunCommand({"/bin/sh", "-n", path.string()});
    EXPECT_EQ(syntax.exit_code, 0) << script << ": " << syntax.err;
  }
  const std::string postinst = ReadFile(control + "/postinst");
  EXPECT_TRUE(Contains(postinst, "adduser --system")) << postinst;
  EXPECT_TRUE(Contains(postinst, "/var/lib/dyad")) << postinst;
}

TEST_F(PackageTest, InstallsEveryPartInItsPlace) {
  for (const char* path : {"usr/bin/dyad",
                           "usr/bin/dyad-index",
                           "usr/bin/dyad-searchd",
                           "usr/bin/dyad-eval",
                           "usr/share/dyad/stopwords/en.txt",
                           "usr/share/dyad/themes.textproto",
                           "usr/share/dyad/eras.textproto",
                           "usr/share/dyad/countries/aliases.tsv",
                           "usr/share/dyad/proto/dyad/v1/envelope.proto",
                           "usr/share/dyad/web",
                           "usr/share/dyad/corpus/articles/pak-russia-relations.txt",
                           "usr/share/dyad/corpus/sotu/LICENSE",
                           "usr/share/doc/dyad/README.md",
                           "usr/share/doc/dyad/operations.md",
                           "usr/share/bash-completion/completions/dyad",
                           "usr/lib/systemd/system/dyad-searchd.service",
                           "etc/dyad/searchd.conf",
                           "usr/include/dyad/clients/client.h",
                           "usr/include/dyad/dyad/v1/envelope.pb.h",
                           "usr/lib/libdyad_client.a",
                           "usr/lib/cmake/Dyad/DyadConfig.cmake"}) {
    EXPECT_TRUE(fs::exists(fs::path(Root()) / path)) << path;
  }
}

TEST_F(PackageTest, UnpackedToolsIndexTheBundledCorpus) {
  EXPECT_TRUE(Contains(*build_summary_, "\"added\":234")) << *build_summary_;
  EXPECT_TRUE(Contains(*build_summary_, "\"skipped\":0")) << *build_summary_;
}

TEST_F(PackageTest, UnpackedDaemonServesThePackagedConfiguration) {
  // The packaged conffile, with the paths of this unpacked root instead of /var/lib and /usr.
  DaemonOptions options;
  options.binary = Bin("dyad-searchd");
  options.http = true;
  Daemon daemon(Index(),
                {"--config", Root() + "/etc/dyad/searchd.conf", "--web",
                 Root() + "/usr/share/dyad/web", "--quiet"},
                options);

  const RunResult search = Installed({"/usr/bin/env", "DYAD_SERVER=" + daemon.address(),
                                      Bin("dyad"), "search", "Pakistan Russia relations"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_TRUE(Contains(search.out, kSeedTitle)) << search.out;

  // The faceted query of the landing page (docs/README.md), over HTTP.
  testutil::HttpClient http(daemon.http_port());
  const testutil::HttpReply reply = http.Get(
      "/v1/search?q=nuclear&country=soviet%20union&from=1947&to=1991"
      "&facet=dyad:5&facet=decade:5&exact_facets=true&limit=3");
  ASSERT_EQ(reply.status, 200) << reply.error << reply.body;
  EXPECT_TRUE(Contains(reply.body, "\"id\":\"sotu-")) << reply.body;
  EXPECT_TRUE(Contains(reply.body, "\"FACET_FIELD_DYAD\"")) << reply.body;
  EXPECT_TRUE(Contains(reply.body, "\"FACET_FIELD_DECADE\"")) << reply.body;
  EXPECT_TRUE(Contains(reply.body, "\"exact\":true")) << reply.body;
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST_F(PackageTest, UnpackedToolsReadTheirOwnDataFiles) {
  // A copy of dyad-index and its share/dyad moved elsewhere, with an era only this copy knows:
  // enrichment finds it, so the data came from beside the program, not from the build's sources.
  const fs::path moved = dir_->path() / "moved";
  fs::create_directories(moved / "bin");
  fs::copy(Bin("dyad-index"), moved / "bin" / "dyad-index");
  fs::create_directories(moved / "share/dyad");
  for (const char* entry : {"stopwords", "countries", "themes.textproto", "eras.textproto"}) {
    fs::copy(fs::path(Root()) / "usr/share/dyad" / entry, moved / "share/dyad" / entry,
             fs::copy_options::recursive);
  }
  std::ofstream(moved / "share/dyad/eras.textproto", std::ios::app)
      << "eras { id: \"moved-tree-era\" label: \"Moved\" from: 1790 to: 1791 }\n";
  const RunResult enrich =
      Installed({(moved / "bin/dyad-index").string(), "enrich",
                 Root() + "/usr/share/dyad/corpus/sotu/1790-george-washington.txt"});
  ASSERT_EQ(enrich.exit_code, 0) << enrich.err;
  EXPECT_TRUE(Contains(enrich.out, "moved-tree-era")) << enrich.out;

  const RunResult packaged =
      Installed({Bin("dyad-index"), "enrich",
                 Root() + "/usr/share/dyad/corpus/sotu/1790-george-washington.txt"});
  ASSERT_EQ(packaged.exit_code, 0) << packaged.err;
  EXPECT_FALSE(Contains(packaged.out, "moved-tree-era")) << packaged.out;
}

TEST_F(PackageTest, BackupAsOperationsPageSaysIsACompleteIndexFolder) {
  // docs/operations.md: copy the folder under dyad-index's own lock.
  const std::string backup = dir_->Sub("backup");
  const RunResult copy = RunCommand(
      {"/usr/bin/flock", Index() + "/dyad-index.lock", "/bin/cp", "-a", Index(), backup});
  ASSERT_EQ(copy.exit_code, 0) << copy.err;
  const RunResult original = Installed({Bin("dyad-index"), "stats", "--index", Index(), "--json"});
  const RunResult copied = Installed({Bin("dyad-index"), "stats", "--index", backup, "--json"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_EQ(copied.out, original.out);
  // Later builds into the copy are incremental: the same corpus changes nothing.
  const RunResult rebuild =
      Installed({Bin("dyad-index"), "build", Root() + "/usr/share/dyad/corpus", "--index", backup,
                 "--quiet"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_TRUE(Contains(rebuild.out, "\"unchanged\":234")) << rebuild.out;
  EXPECT_TRUE(Contains(rebuild.out, "\"published\":false")) << rebuild.out;
}

TEST_F(PackageTest, UnitRunsThePackagedDaemonAsItsOwnUser) {
  const std::string unit = ReadFile(Root() + "/usr/lib/systemd/system/dyad-searchd.service");
  for (const char* line :
       {"ExecStart=/usr/bin/dyad-searchd --config /etc/dyad/searchd.conf\n", "User=dyad\n",
        "ExecReload=/bin/kill -HUP $MAINPID\n", "ConditionPathExists=/var/lib/dyad/index\n",
        "ProtectSystem=strict\n", "NoNewPrivileges=yes\n", "WantedBy=multi-user.target\n"}) {
    EXPECT_TRUE(Contains(unit, line)) << line;
  }
  const std::string config = ReadFile(Root() + "/etc/dyad/searchd.conf");
  EXPECT_TRUE(Contains(config, "index: \"/var/lib/dyad/index\"")) << config;
  EXPECT_TRUE(Contains(config, "web: \"/usr/share/dyad/web\"")) << config;
#ifdef SYSTEMD_ANALYZE_BIN
  // systemd's own reading of the unit: every key known, and its exposure score "OK" (at most 2.0
  // of 10: a network daemon can't drop network access).
  const RunResult security =
      RunCommand({SYSTEMD_ANALYZE_BIN, "security", "--offline=yes", "--threshold=20",
                  Root() + "/usr/lib/systemd/system/dyad-searchd.service"});
  EXPECT_EQ(security.exit_code, 0) << security.out;
  EXPECT_EQ(security.err, "");
#endif
}

TEST_F(PackageTest, ManPagesComeFromEachProgramsHelp) {
  for (const std::string program : {"dyad", "dyad-index", "dyad-searchd", "dyad-eval"}) {
    const RunResult page =
        RunCommand({"/bin/gzip", "-dc", Root() + "/usr/share/man/man1/" + program + ".1.gz"});
    ASSERT_EQ(page.exit_code, 0) << program << ": " << page.err;
    std::string upper = program;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(Contains(page.out, ".TH " + upper + " \"1\"")) << page.out.substr(0, 500);
    EXPECT_TRUE(Contains(page.out, Version())) << program;
    EXPECT_TRUE(Contains(page.out, ".SH SYNOPSIS")) << program;
    EXPECT_TRUE(Contains(page.out, ".SH \"SEE ALSO\"")) << program;
    // The options come from --help: every page documents --help itself.
    EXPECT_TRUE(Contains(page.out, "help")) << program;
  }
}

struct CompletionCase {
  std::vector<std::string> words;  // The command line, the last word being completed.
  std::vector<std::string> expected;
};

TEST_F(PackageTest, BashCompletionReadsTheInstalledHelp) {
  const std::string script = Root() + "/usr/share/bash-completion/completions/dyad";
  fs::create_directories(dir_->path() / "completion/folder-a");
  const std::vector<CompletionCase> cases = {
      {{"dyad", "se"}, {"search"}},
      {{"dyad", "he"}, {"health", "help"}},
      {{"dyad", "ex"}, {"export"}},
      {{"dyad-index", "b"}, {"build"}},
      {{"dyad-index", "build", "--ind"}, {"--index"}},
      {{"dyad-index", "build", "--index", dir_->Sub("completion/fol")},
       {dir_->Sub("completion/folder-a")}},
      {{"dyad-eval", "sc"}, {"score"}},
      {{"dyad-searchd", "--conf"}, {"--config"}},
      {{"dyad-searchd", "--max-res"}, {"--max-results"}},
  };
  for (const CompletionCase& c : cases) {
    std::string words;
    for (const std::string& word : c.words) words += " '" + word + "'";
    const std::string program = "source '" + script + "'; COMP_WORDS=(" + words +
                                "); COMP_CWORD=" + std::to_string(c.words.size() - 1) +
                                "; _dyad; printf '%s\\n' \"${COMPREPLY[@]}\"";
    const RunResult result = Installed({BASH_BIN, "-c", program});
    ASSERT_EQ(result.exit_code, 0) << words << ": " << result.err;
    std::string expected;
    for (const std::string& line : c.expected) expected += line + "\n";
    EXPECT_EQ(result.out, expected) << words;
  }
}

}  // namespace
}  // namespace dyad
