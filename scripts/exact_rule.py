#!/usr/bin/env python3
"""Reference for docs/PERFORMANCE.md: the exact nom + prénom rule (as SACoche links ENT accounts),
in plain Python, to time pronote-companion against the simplest tool that does the same reading.

Usage: exact_rule.py ENT.csv LIST.csv... > report.json
Reads each PRONOTE list (UTF-16 with BOM, UTF-8 or Windows-1252; separator sniffed), the ENT
export, links every row whose upper-cased nom and prénom match exactly one account, and writes
one JSON line per row: the list, the line, the stored CAS and the login found (or null).
"""
import csv
import io
import json
import sys


def read_text(path):
    data = open(path, "rb").read()
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def rows(path):
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    return header, reader


def column(header, *names):
    for i, title in enumerate(header):
        if title.strip().lower() in names:
            return i
    return None


def main():
    ent_path, lists = sys.argv[1], sys.argv[2:]
    header, reader = rows(ent_path)
    nom, prenom, login = (column(header, "nom"), column(header, "prénom", "prenom"),
                          column(header, "identifiant", "login"))
    accounts = {}
    for record in reader:
        key = (record[nom].strip().upper(), record[prenom].strip().upper())
        accounts.setdefault(key, []).append(record[login])
    out = sys.stdout
    for path in lists:
        header, reader = rows(path)
        nom, prenom, cas = (column(header, "nom"), column(header, "prénom", "prenom"),
                            column(header, "identifiant cas"))
        for line, record in enumerate(reader, start=2):
            if len(record) <= max(nom, prenom):
                continue
            found = accounts.get((record[nom].strip().upper(), record[prenom].strip().upper()), [])
            json.dump({"list": path, "line": line,
                       "cas": record[cas] if cas is not None else None,
                       "login": found[0] if len(found) == 1 else None}, out)
            out.write("\n")


if __name__ == "__main__":
    main()
