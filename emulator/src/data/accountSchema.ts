/** One database per account, with NetSuite table and column names so SuiteQL reads naturally. */
export const ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS employee (
  id INTEGER PRIMARY KEY, entityid TEXT NOT NULL, firstname TEXT, lastname TEXT, email TEXT,
  isinactive TEXT NOT NULL DEFAULT 'F', giveaccess TEXT NOT NULL DEFAULT 'T');
CREATE TABLE IF NOT EXISTS role (
  id INTEGER PRIMARY KEY, scriptid TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,
  isinactive TEXT NOT NULL DEFAULT 'F', iscustom TEXT NOT NULL DEFAULT 'T');
CREATE TABLE IF NOT EXISTS rolepermissions (
  role INTEGER NOT NULL, permkey TEXT NOT NULL, permlevel INTEGER NOT NULL, PRIMARY KEY (role, permkey));
CREATE TABLE IF NOT EXISTS employeerolesforsearch (
  entity INTEGER NOT NULL, role INTEGER NOT NULL, PRIMARY KEY (entity, role));
CREATE TABLE IF NOT EXISTS customer (
  id INTEGER PRIMARY KEY, entityid TEXT NOT NULL, companyname TEXT NOT NULL, email TEXT,
  datecreated TEXT NOT NULL, isinactive TEXT NOT NULL DEFAULT 'F');
`;

/** NetSuite's numeric permission levels (rolepermissions.permlevel). */
export const PERMISSION_LEVELS = ['NONE', 'VIEW', 'CREATE', 'EDIT', 'FULL'] as const;
