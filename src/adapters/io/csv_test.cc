#include "adapters/io/csv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace arbor {
namespace {

// Reads every row of `text`, as (line, fields).
struct Parsed {
  std::vector<int64_t> lines;
  std::vector<std::vector<std::string>> rows;
};

Parsed ReadAll(std::string text, CsvOptions options = {}) {
  Result<CsvReader> reader = CsvReader::FromString(std::move(text), "t.csv", options);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  Parsed parsed;
  if (!reader.ok()) return parsed;
  CsvRow row;
  while (reader->Next(&row)) {
    parsed.lines.push_back(row.line());
    std::vector<std::string> fields;
    for (size_t i = 0; i < row.size(); ++i) fields.emplace_back(row[i]);
    parsed.rows.push_back(std::move(fields));
  }
  EXPECT_TRUE(reader->status().ok()) << reader->status().message();
  return parsed;
}

// The error that ends reading `text`.
std::string ErrorOf(std::string text) {
  Result<CsvReader> reader = CsvReader::FromString(std::move(text), "t.csv");
  if (!reader.ok()) return reader.status().message();
  CsvRow row;
  while (reader->Next(&row)) {
  }
  return reader->status().message();
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, ReadsHeaderAndRowsByName) {
  Result<CsvReader> reader = CsvReader::FromString("symbol,close\nAAPL,93.7\nMSFT,41.27\n");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"symbol", "close"}));
  EXPECT_EQ(reader->ColumnIndex("close"), 1u);
  EXPECT_FALSE(reader->ColumnIndex("open").has_value());
  CsvRow row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.line(), 2);
  EXPECT_EQ(row.Get("symbol"), "AAPL");
  EXPECT_EQ(row.Get("close"), "93.7");
  EXPECT_EQ(row.Get("open"), "");
  EXPECT_TRUE(row.HasColumn("close"));
  EXPECT_FALSE(row.HasColumn("open"));
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.line(), 3);
  EXPECT_EQ(row[0], "MSFT");
  EXPECT_FALSE(reader->Next(&row));
  EXPECT_TRUE(reader->status().ok());
  EXPECT_FALSE(reader->Next(&row));  // stays at the end
}

TEST(CsvReaderTest, QuotedFieldsWithCommasAndDoubledQuotes) {
  Parsed p = ReadAll("a,b,c\n\"Smith, John\",\"say \"\"hi\"\"\",\"\"\n");
  EXPECT_EQ(p.rows, (Rows{{"Smith, John", "say \"hi\"", ""}}));
}

TEST(CsvReaderTest, EmbeddedNewlinesKeepPhysicalLineNumbers) {
  Parsed p = ReadAll("name,address\nA,\"1 Main St\nSpringfield\"\nB,\"x\n\ny\"\nC,z\n");
  EXPECT_EQ(p.rows, (Rows{{"A", "1 Main St\nSpringfield"}, {"B", "x\n\ny"}, {"C", "z"}}));
  EXPECT_EQ(p.lines, (std::vector<int64_t>{2, 4, 7}));
}

TEST(CsvReaderTest, CrlfLineEnds) {
  Parsed p = ReadAll("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5");
  EXPECT_EQ(p.rows, (Rows{{"1", "2"}, {"x\r\ny", "3"}, {"4", "5"}}));
  EXPECT_EQ(p.lines, (std::vector<int64_t>{2, 3, 5}));
}

TEST(CsvReaderTest, LoneCarriageReturnIsData) {
  Parsed p = ReadAll("a,b\nx\ry,2\n");
  EXPECT_EQ(p.rows, (Rows{{"x\ry", "2"}}));
}

TEST(CsvReaderTest, SkipsByteOrderMark) {
  Result<CsvReader> reader = CsvReader::FromString("\xEF\xBB\xBFSymbol,Name\nMMM,3M\n");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->header()[0], "Symbol");
  CsvRow row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.Get("Symbol"), "MMM");
}

TEST(CsvReaderTest, SkipsBlankLinesAndCountsThem) {
  Parsed p = ReadAll("\na,b\n\n1,2\r\n\r\n3,4\n\n\n");
  EXPECT_EQ(p.rows, (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(p.lines, (std::vector<int64_t>{4, 6}));
}

TEST(CsvReaderTest, EmptyFieldsAndTrailingComma) {
  Parsed p = ReadAll("a,b,c\n,,\n1,,\n,,3");
  EXPECT_EQ(p.rows, (Rows{{"", "", ""}, {"1", "", ""}, {"", "", "3"}}));
}

TEST(CsvReaderTest, StrayQuoteInUnquotedFieldIsData) {
  Parsed p = ReadAll("item,size\ndisk,5\" wide\n");
  EXPECT_EQ(p.rows, (Rows{{"disk", "5\" wide"}}));
}

TEST(CsvReaderTest, WrongFieldCountNamesTheLine) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,4,5\n6,7\n"), "t.csv:3: expected 2 fields, found 3");
  EXPECT_EQ(ErrorOf("a,b\n1,2\n\"multi\nline\",2\n9\n"), "t.csv:5: expected 2 fields, found 1");
}

TEST(CsvReaderTest, UnterminatedQuoteNamesWhereTheFieldStarts) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\"open\n\n"), "t.csv:3: field 2: quoted field is never closed");
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAnError) {
  EXPECT_EQ(ErrorOf("a,b\n\"x\"y,2\n"),
            "t.csv:2: field 1: unexpected text after the closing quote");
}

TEST(CsvReaderTest, EmptyInputHasNoHeader) {
  EXPECT_EQ(ErrorOf(""), "t.csv: empty file, expected a header row");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF\r\n\n"), "t.csv: empty file, expected a header row");
}

TEST(CsvReaderTest, HeaderOnlyHasNoRows) { EXPECT_TRUE(ReadAll("a,b\n").rows.empty()); }

TEST(CsvReaderTest, RepeatedHeaderNameFindsTheFirst) {
  Result<CsvReader> reader = CsvReader::FromString("Price,Price,Close\nDate,1.5,2\n");
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->ColumnIndex("Price"), 0u);
  CsvRow row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.Get("Price"), "Date");
  EXPECT_EQ(row[1], "1.5");
}

TEST(CsvReaderTest, HeaderlessInputTakesTheFieldCountFromRowOne) {
  Parsed p = ReadAll("2019-04-30,\"['MSFT', 'AAPL']\"\n2019-05-31,\"['MSFT']\"\n",
                     CsvOptions{.has_header = false});
  EXPECT_EQ(p.rows, (Rows{{"2019-04-30", "['MSFT', 'AAPL']"}, {"2019-05-31", "['MSFT']"}}));
  EXPECT_EQ(p.lines, (std::vector<int64_t>{1, 2}));
}

TEST(CsvReaderTest, RequireColumnAndFieldError) {
  Result<CsvReader> reader = CsvReader::FromString("date,close\n2024-01-02,abc\n", "prices.csv");
  ASSERT_TRUE(reader.ok());
  Result<size_t> missing = reader->RequireColumn("open");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "prices.csv: missing column 'open'");
  CsvRow row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.source(), "prices.csv");
  Status error = FieldError(row, "close", "'abc' is not a decimal number");
  EXPECT_EQ(error.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error.message(), "prices.csv:2: close: 'abc' is not a decimal number");
  EXPECT_EQ(RowError(row, "date repeats line 1").message(), "prices.csv:2: date repeats line 1");
}

TEST(CsvReaderTest, RowOutlivesAMovedReader) {
  Result<CsvReader> reader = CsvReader::FromString("a\n1\n", "moved.csv");
  ASSERT_TRUE(reader.ok());
  CsvReader moved = std::move(reader).value();
  CsvRow row;
  ASSERT_TRUE(moved.Next(&row));
  EXPECT_EQ(row.Get("a"), "1");
  EXPECT_EQ(row.source(), "moved.csv");
}

TEST(CsvReaderTest, OpensFilesAndReportsMissingOnes) {
  std::string path = testing::TempDir() + "/arbor_csv_test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBF"
        << "x,y\r\n1,\"a,b\"\r\n";
  }
  Result<CsvReader> reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(reader->source(), path);
  CsvRow row;
  ASSERT_TRUE(reader->Next(&row));
  EXPECT_EQ(row.Get("y"), "a,b");
  std::remove(path.c_str());

  Result<CsvReader> missing = CsvReader::Open(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

// Every row and field of a long file, read through the buffer refills (the throughput is
// measured by bench/csv_benchmark).
TEST(CsvReaderTest, ReadsManyRows) {
  constexpr int kRows = 50'000;
  std::string text =
      "timestamp,open,close,adjusted_close,volume,dividend_amount,split_coefficient\n";
  for (int i = 0; i < kRows; ++i) {
    text += "2014-06-09,92.7," + std::to_string(i) + ",21.1085754941,75414997,0.0,1.0\n";
  }
  Result<CsvReader> reader = CsvReader::FromString(std::move(text));
  ASSERT_TRUE(reader.ok());
  std::optional<size_t> close = reader->ColumnIndex("close");
  ASSERT_TRUE(close.has_value());
  CsvRow row;
  int rows = 0;
  while (reader->Next(&row)) {
    ASSERT_EQ(row.size(), 7u);
    ASSERT_EQ(row[*close], std::to_string(rows));
    ++rows;
  }
  ASSERT_TRUE(reader->status().ok());
  EXPECT_EQ(rows, kRows);
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvWriter::Escape("BRK.B"), "BRK.B");
  EXPECT_EQ(CsvWriter::Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvWriter::Escape("5\" disk"), "\"5\"\" disk\"");
  EXPECT_EQ(CsvWriter::Escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvWriter::Escape(""), "");
}

TEST(CsvWriterTest, RoundTripsThroughTheReader) {
  std::ostringstream out;
  CsvWriter writer(&out);
  writer.WriteRow({"symbol", "name"});
  writer.WriteRow(std::vector<std::string>{"BRK.B", "Berkshire Hathaway, \"B\"\nshares"});
  writer.WriteRow({"", ""});
  EXPECT_EQ(out.str(), "symbol,name\nBRK.B,\"Berkshire Hathaway, \"\"B\"\"\nshares\"\n,\n");
  Parsed p = ReadAll(out.str());
  EXPECT_EQ(p.rows, (Rows{{"BRK.B", "Berkshire Hathaway, \"B\"\nshares"}, {"", ""}}));
  EXPECT_EQ(p.lines, (std::vector<int64_t>{2, 4}));
}

TEST(CsvWriterTest, LoneEmptyFieldIsNotABlankLine) {
  std::ostringstream out;
  CsvWriter writer(&out);
  writer.WriteRow({"note"});
  writer.WriteRow({""});
  EXPECT_EQ(out.str(), "note\n\"\"\n");
  EXPECT_EQ(ReadAll(out.str()).rows, (Rows{{""}}));
}

}  // namespace
}  // namespace arbor
