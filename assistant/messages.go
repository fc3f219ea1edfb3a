package assistant

// messages are the assistant's fixed sentences, Dutch first. The answer
// to a question in another language is in both, as its reader may know
// either.
var messages = map[string]map[string]string{
	"nl": {
		"refuse":          "Daar kan ik je niet mee helpen: het staat niet in de dienstverlening van de gemeente. Wil je dat een medewerker je vraag bekijkt?",
		"other_language":  "Ik antwoord in het Nederlands of het Engels: stel je vraag in een van die talen, of vraag een medewerker. I answer in Dutch or English: please ask in one of those languages, or ask a member of staff.",
		"clarify":         "Bedoel je een van deze? Kies er een, of stel je vraag anders.",
		"more":            "Meer info: %s",
		"dossier_signin":  "Meld je aan, dan toon ik waar je dossiers staan. Een dossiernummer alleen volstaat niet, om je gegevens te beschermen.",
		"dossier_none":    "Ik vind geen lopende dossiers op jouw naam.",
		"dossier_list":    "Dit zijn je dossiers:",
		"dossier_off":     "Ik kan dossiers hier niet opzoeken. Wil je dat een medewerker je helpt?",
		"slots":           "Je kunt een afspraak maken op een van deze momenten:",
		"slots_none":      "Ik vind geen vrije momenten. Wil je dat een medewerker je helpt?",
		"report_where":    "Waar is het precies? Geef een straat en huisnummer of een herkenningspunt.",
		"report_draft":    "Ik heb je melding klaargezet. Kijk ze na en bevestig ze in het loket.",
		"handover_case":   "Ik heb je vraag doorgegeven aan een medewerker (referentie %s). Je krijgt een antwoord.",
		"handover_chat":   "Een medewerker neemt het gesprek over.",
		"handover_signin": "Meld je aan, dan geef ik je vraag door aan een medewerker die je antwoordt.",
		"handover_off":    "Een medewerker bereik je via het contactformulier of aan het loket.",
	},
	"en": {
		"refuse":          "I can't help with that: it is not one of the municipality's services. Would you like a member of staff to look at your question?",
		"other_language":  "Ik antwoord in het Nederlands of het Engels: stel je vraag in een van die talen, of vraag een medewerker. I answer in Dutch or English: please ask in one of those languages, or ask a member of staff.",
		"clarify":         "Do you mean one of these? Pick one, or ask your question differently.",
		"more":            "More information: %s",
		"dossier_signin":  "Please sign in and I will show where your files stand. A file number alone is not enough, to protect your data.",
		"dossier_none":    "I find no open files in your name.",
		"dossier_list":    "These are your files:",
		"dossier_off":     "I cannot look files up here. Would you like a member of staff to help?",
		"slots":           "You can book an appointment at one of these times:",
		"slots_none":      "I find no free times. Would you like a member of staff to help?",
		"report_where":    "Where exactly is it? Give a street and house number or a landmark.",
		"report_draft":    "I have prepared your report. Please check and confirm it in the portal.",
		"handover_case":   "I have passed your question to a member of staff (reference %s). You will get an answer.",
		"handover_chat":   "A member of staff is taking over the conversation.",
		"handover_signin": "Please sign in and I will pass your question to a member of staff who will answer you.",
		"handover_off":    "You can reach a member of staff through the contact form or at the counter.",
	},
}

func msg(lang, key string) string {
	if m, ok := messages[lang]; ok {
		return m[key]
	}
	return messages["nl"][key]
}
