#include "adapters/report/pdf_document.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace arbor::report {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Page objects in the file ("/Type /Page", not "/Type /Pages"): cairo writes them uncompressed.
int CountPages(const std::string& pdf) {
  static const std::regex page("/Type\\s*/Page[^s]");
  return static_cast<int>(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page),
                                        std::sregex_iterator()));
}

// The text poppler extracts, or nullopt when pdftotext (poppler-utils) is not installed.
std::optional<std::string> ExtractText(const std::filesystem::path& pdf) {
  std::filesystem::path txt = pdf;
  txt.replace_extension(".txt");
  std::string command = "pdftotext -layout '" + pdf.string() + "' '" + txt.string() + "' 2>/dev/null";
  if (std::system(command.c_str()) != 0) return std::nullopt;
  return ReadFile(txt);
}

class PdfDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("arbor_pdf_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(PdfDocumentTest, WritesEveryBlockOnOnePage) {
  std::filesystem::path path = dir_ / "one.pdf";
  auto pdf = PdfDocument::Create(path.string(), {.paper = Paper::kA4, .footer = "Arbor test"});
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  PdfDocument& doc = **pdf;
  doc.Title("Quarterly summary", "Account " + EscapeMarkup("A&B <joint>"));
  doc.Heading("Holdings");
  doc.Paragraph("Tax management saved <b>$1,234</b> this year.");
  doc.Table({.columns = {{"Year"}, {"Saved", Align::kRight}},
             .rows = {{"2019", "1,000"}, {"2020", "-234"}, {"Total", "766"}},
             .emphasized_rows = {2}});
  doc.Chart({.title = "Cumulative",
             .x_axis = XAxis::kYear,
             .series = {{"Saved", {{2019, 1000}, {2020, 766}}}, {"Deferred", {{2019, 50}, {2020, 80}}}}});
  doc.Note("Figures in US dollars.");
  ASSERT_TRUE(doc.Finish().ok());
  EXPECT_EQ(doc.page_count(), 1);

  std::string bytes = ReadFile(path);
  ASSERT_GE(bytes.size(), 5u);
  EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_EQ(CountPages(bytes), 1);
  if (std::optional<std::string> text = ExtractText(path)) {
    EXPECT_NE(text->find("Quarterly summary"), std::string::npos);
    EXPECT_NE(text->find("A&B <joint>"), std::string::npos);
    EXPECT_NE(text->find("Deferred"), std::string::npos);
    EXPECT_NE(text->find("Page 1"), std::string::npos);
  }
}

TEST_F(PdfDocumentTest, LongTableFlowsOntoNewPagesWithItsHeader) {
  std::filesystem::path path = dir_ / "long.pdf";
  auto pdf = PdfDocument::Create(path.string(), {.paper = Paper::kLetter});
  ASSERT_TRUE(pdf.ok());
  PdfDocument& doc = **pdf;
  report::Table table{.columns = {{"Row"}, {"Amount", Align::kRight}}};
  for (int i = 0; i < 120; ++i) table.rows.push_back({std::to_string(i), std::to_string(i * 10)});
  doc.Table(table);
  doc.NewPage();
  doc.NewPage();  // a second call on an empty page adds nothing
  doc.Chart({.title = "Dates", .x_axis = XAxis::kDate,
             .series = {{"Value", {{17897, -5.0}, {18262, 10.0}, {18628, 3.0}}}}});
  ASSERT_TRUE(doc.Finish().ok());

  std::string bytes = ReadFile(path);
  EXPECT_EQ(CountPages(bytes), doc.page_count());
  EXPECT_GE(doc.page_count(), 3);
  if (std::optional<std::string> text = ExtractText(path)) {
    size_t headers = 0;
    for (size_t at = text->find("Amount"); at != std::string::npos; at = text->find("Amount", at + 1)) {
      ++headers;
    }
    EXPECT_EQ(headers, static_cast<size_t>(doc.page_count() - 1));  // not on the chart's page
    EXPECT_NE(text->find("2020"), std::string::npos);               // a date tick
  }
}

TEST_F(PdfDocumentTest, UnwritablePathIsAnError) {
  auto pdf = PdfDocument::Create((dir_ / "missing" / "x.pdf").string());
  if (pdf.ok()) {
    EXPECT_FALSE((*pdf)->Finish().ok());
  } else {
    EXPECT_NE(pdf.status().message().find("x.pdf"), std::string::npos);
  }
}

}  // namespace
}  // namespace arbor::report
