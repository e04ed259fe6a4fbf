// proto_doc: writes the protocol reference (docs/protocol-reference.md) from the .proto files
// themselves, comments included, so the reference cannot drift from the contract.
//
//   proto_doc PROTO_ROOT OUT.md FILE.proto...
//
// FILEs are relative to PROTO_ROOT (e.g. dyad/v1/search.proto). For each file, in the order
// given: its messages (nested ones after their parent) as tables of number, field, type and the
// field's comment; then its enums with each value's number and comment. Comments are the ones
// written before or after a declaration in the .proto file. Parsed with libprotobuf's own
// compiler (google::protobuf::compiler::Importer), not by hand.
#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::SourceLocation;

class Errors : public google::protobuf::compiler::MultiFileErrorCollector {
 public:
  void AddError(const std::string& file, int line, int column,
                const std::string& message) override {
    std::cerr << file << ":" << line + 1 << ":" << column + 1 << ": " << message << "\n";
    failed = true;
  }
  bool failed = false;
};

// Comment text on one line, for a table cell; paragraphs of the comment become spaces.
std::string OneLine(std::string text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c == '|' ? '/' : c;
  }
  return out;
}

template <typename T>
std::string Comment(const T* item) {
  SourceLocation location;
  if (!item->GetSourceLocation(&location)) return "";
  std::string text = location.leading_comments;
  if (!location.trailing_comments.empty()) {
    if (!text.empty()) text += " ";
    text += location.trailing_comments;
  }
  return OneLine(text);
}

// GitHub's anchor for a heading: lower case, dots dropped ("Filters.Range" -> "filtersrange").
std::string Anchor(const std::string& name) {
  std::string anchor;
  for (char c : name) {
    if (c == '.') continue;
    anchor += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return anchor;
}

std::string TypeName(const FieldDescriptor* field) {
  std::string type;
  if (field->is_map()) {
    const Descriptor* entry = field->message_type();
    return "map<" + TypeName(entry->field(0)) + ", " + TypeName(entry->field(1)) + ">";
  }
  switch (field->type()) {
    case FieldDescriptor::TYPE_MESSAGE:
      type = field->message_type()->full_name();
      break;
    case FieldDescriptor::TYPE_ENUM:
      type = field->enum_type()->full_name();
      break;
    default:
      type = field->type_name();
  }
  if (type.starts_with("dyad.v1.")) {
    const std::string name = type.substr(8);
    type = "[" + name + "](#" + Anchor(name) + ")";
  }
  return field->is_repeated() ? "repeated " + type : type;
}

void WriteEnum(const EnumDescriptor* e, std::ostream& out) {
  const std::string name = e->full_name().substr(8);
  out << "### " << name << "\n\n";
  if (const std::string c = Comment(e); !c.empty()) out << c << "\n\n";
  out << "| number | value | meaning |\n| ---: | --- | --- |\n";
  for (int i = 0; i < e->value_count(); ++i) {
    out << "| " << e->value(i)->number() << " | `" << e->value(i)->name() << "` | "
        << Comment(e->value(i)) << " |\n";
  }
  out << "\n";
}

void WriteMessage(const Descriptor* m, std::ostream& out) {
  if (m->options().map_entry()) return;
  const std::string name = m->full_name().substr(8);
  out << "### " << name << "\n\n";
  if (const std::string c = Comment(m); !c.empty()) out << c << "\n\n";
  if (m->field_count() == 0) {
    out << "No fields.\n\n";
  } else {
    out << "| number | field | type | meaning |\n| ---: | --- | --- | --- |\n";
    for (int i = 0; i < m->field_count(); ++i) {
      const FieldDescriptor* f = m->field(i);
      std::string field = "`" + f->name() + "`";
      if (const auto* oneof = f->real_containing_oneof())
        field += " (one of `" + oneof->name() + "`)";
      out << "| " << f->number() << " | " << field << " | " << TypeName(f) << " | " << Comment(f)
          << " |\n";
    }
    out << "\n";
  }
  for (int i = 0; i < m->enum_type_count(); ++i) WriteEnum(m->enum_type(i), out);
  for (int i = 0; i < m->nested_type_count(); ++i) WriteMessage(m->nested_type(i), out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: proto_doc PROTO_ROOT OUT.md FILE.proto...\n";
    return 2;
  }
  google::protobuf::compiler::DiskSourceTree tree;
  tree.MapPath("", argv[1]);
  Errors errors;
  google::protobuf::compiler::Importer importer(&tree, &errors);
  std::ostringstream out;
  out << "<!-- Generated from proto/dyad/v1/*.proto by proto_doc (cmake --build build --target "
         "protocol-reference); do not edit. -->\n"
      << "# Dyad protocol reference (dyad.v1)\n\n"
      << "Every message, field and enum value of the binary protocol, the HTTP API's JSON (the "
         "Protobuf JSON mapping of the same messages, field names in lowerCamelCase) and the "
         "stored article. How frames travel, and what happens on errors: "
         "[protocol.md](protocol.md).\n\n";
  for (int i = 3; i < argc; ++i) {
    const FileDescriptor* file = importer.Import(argv[i]);
    if (file == nullptr || errors.failed) return 1;
    out << "## " << file->name() << "\n\n";
    for (int m = 0; m < file->message_type_count(); ++m) WriteMessage(file->message_type(m), out);
    for (int e = 0; e < file->enum_type_count(); ++e) WriteEnum(file->enum_type(e), out);
  }
  std::ofstream file(argv[2], std::ios::binary);
  file << out.str();
  if (!file.flush()) {
    std::cerr << "proto_doc: cannot write " << argv[2] << "\n";
    return 1;
  }
  return 0;
}
