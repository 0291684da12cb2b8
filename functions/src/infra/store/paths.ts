import type { Firestore } from "@google-cloud/firestore";

/**
 * Every Firestore path dienhinh uses, in one place (README.md, "How it fits together"):
 *
 *   campaigns/{id}                          the campaign (office, criteria snapshot, forms, sheet)
 *   campaigns/{id}/schools/{code}           the registry
 *   campaigns/{id}/submissions/{key}        every response received, accepted or quarantined
 *   campaigns/{id}/incidents/{key}          every incident report received (the incident form)
 *   campaigns/{id}/schoolStates/{code}      each school's inputs and what it was told (its state)
 *   campaigns/{id}/outbox/{code}            pending work for the sheet, the report and the email
 *   campaigns/{id}/reports/{name}           each document rendered: kind, content hash, where, date
 *   campaigns/{id}/mail/{key}               each message's idempotency record
 *   campaigns/{id}/events/{id}              what happened outside intake (inspections, decisions, registry, errors)
 *   campaigns/{id}/locks/{name}             leases: one sheet cycle, one delivery at a time
 *   quotas/{name}                           budgets shared by every campaign (sheet writes, mail a day)
 */
export const paths = (db: Firestore) => {
  const campaigns = () => db.collection("campaigns");
  const campaign = (id: string) => campaigns().doc(id);
  return {
    campaigns,
    campaign,
    schools: (id: string) => campaign(id).collection("schools"),
    submissions: (id: string) => campaign(id).collection("submissions"),
    incidents: (id: string) => campaign(id).collection("incidents"),
    schoolStates: (id: string) => campaign(id).collection("schoolStates"),
    outbox: (id: string) => campaign(id).collection("outbox"),
    reports: (id: string) => campaign(id).collection("reports"),
    mail: (id: string) => campaign(id).collection("mail"),
    events: (id: string) => campaign(id).collection("events"),
    lock: (id: string, name: string) => campaign(id).collection("locks").doc(name),
    quota: (name: string) => db.collection("quotas").doc(name),
  };
};
export type Paths = ReturnType<typeof paths>;
